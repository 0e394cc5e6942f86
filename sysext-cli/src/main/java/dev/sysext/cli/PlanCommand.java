package dev.sysext.cli;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.Version;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sysext plan}: the images (extension x version x architecture) that a publish directory is
 * missing, as a list or as a GitHub Actions matrix.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "List the images a publish directory is missing (a CI build matrix).",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext plan --published publish/        # all extensions, latest versions",
            "  sysext plan containerd --versions 2.2.0 --arch x86-64 --published publish/",
            "  sysext plan --published https://example.com/sysext/ --json   # a CI matrix"},
        description = {"For each extension (all of them when none is named), each wanted version (--latest,"
                + " the default, or --versions) and each architecture (--arch, default x86-64 and arm64),"
                + " prints the image NAME-VERSION-ARCH.raw unless the publish directory's SHA256SUMS lists it.",
            "--json prints {\"include\":[{\"recipe\",\"version\",\"arch\",\"image\"}, ...]}, which GitHub"
                + " Actions takes as strategy.matrix: fromJSON(...)."})
final class PlanCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Extensions to plan (default: all that sysext knows).")
    List<String> names = new ArrayList<>();

    @Option(names = "--latest", description = "The newest patch release of each of the "
            + ListCommand.LATEST_LINES + " newest minor lines, as 'list --latest' (the default).")
    boolean latest;

    @Option(names = "--versions", split = ",", paramLabel = "VERSION", description = "Versions to build"
            + " (comma-separated or repeated); each extension planned must have them.")
    List<String> versions = new ArrayList<>();

    @Option(names = "--arch", paramLabel = "ARCH", description = "An architecture, x86-64 or arm64 (repeatable;"
            + " default: both).")
    List<String> architectures = new ArrayList<>();

    @Option(names = "--published", paramLabel = "DIR|FILE|URL", description = "What is already published: a"
            + " publish directory, its SHA256SUMS file, or the URL of either. A directory without SHA256SUMS"
            + " has nothing published; without this option every image is listed.")
    String published;

    @Option(names = "--json", description = "Print a GitHub Actions matrix: {\"include\":[...]}.")
    boolean json;

    @Mixin
    UpstreamOptions upstreamOptions = new UpstreamOptions();

    /** One image to build: a row of the matrix. */
    record Entry(String recipe, String version, Architecture arch, String image) {}

    @Override
    public void run() {
        if (latest && !versions.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--latest and --versions cannot be used together");
        }
        List<Version> wanted = new ArrayList<>();
        for (String v : versions) {
            Version parsed = Version.tryParse(v).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                    "--versions: '" + v + "' is not a version (e.g. 2.2.0)"));
            wanted.add(parsed);
        }
        Set<Architecture> arches = new LinkedHashSet<>();
        for (String a : architectures) {
            try {
                arches.add(Architecture.parse(a));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--arch: " + e.getMessage());
            }
        }
        if (arches.isEmpty()) {
            arches.addAll(List.of(Architecture.X86_64, Architecture.ARM64));
        }
        RecipeCatalog catalog = UpstreamFailures.run(RecipeCatalog::load);
        List<Recipe> recipes = new ArrayList<>();
        if (names.isEmpty()) {
            recipes.addAll(catalog.all());
        } else {
            for (String name : new LinkedHashSet<>(names)) {
                recipes.add(UpstreamFailures.run(() -> catalog.require(name)));
            }
        }
        Upstream upstream = UpstreamFailures.run(() -> upstreamOptions.upstream(Optional.empty(), Optional.empty(),
                Optional.empty(), ProgressListener.NONE));
        Set<String> have = published == null ? Set.of() : UpstreamFailures.run(this::publishedImages);

        List<Entry> missing = new ArrayList<>();
        for (Recipe recipe : recipes) {
            ReleaseIndex index = UpstreamFailures.run(() -> recipe.releases(upstream));
            List<Version> recipeVersions = new ArrayList<>();
            if (wanted.isEmpty()) {
                index.newestPatchPerMinorLine(ListCommand.LATEST_LINES).forEach(r -> recipeVersions.add(r.version()));
            } else {
                for (Version v : wanted) {
                    Release r = index.find(v).orElseThrow(() -> new CommandFailure(ExitCode.INPUT_ERROR,
                            recipe.name() + " has no release " + v + " (see: sysext list " + recipe.name() + ")"));
                    recipeVersions.add(r.version());
                }
            }
            for (Version v : recipeVersions) {
                for (Architecture a : arches) {
                    String image = ImageBuilder.imageName(recipe.name(), v, a);
                    if (!have.contains(image)) {
                        missing.add(new Entry(recipe.name(), v.toString(), a, image));
                    }
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(missing));
        } else {
            missing.forEach(e -> out.println(e.image()));
        }
        out.flush();
    }

    /** The image names the publish location's SHA256SUMS lists. */
    private Set<String> publishedImages() throws IOException {
        String text;
        if (published.startsWith("http://") || published.startsWith("https://")) {
            URI url = URI.create(published.endsWith("SHA256SUMS") ? published
                    : published + (published.endsWith("/") ? "" : "/") + "SHA256SUMS");
            try {
                text = upstreamOptions.http().fetchText(url);
            } catch (FetchException e) {
                throw new FetchException(url, e.status().orElse(-1), "--published: cannot read " + url + ": "
                        + e.getMessage(), e);
            }
        } else {
            Path p = Path.of(published);
            if (Files.isDirectory(p)) {
                Path sums = p.resolve("SHA256SUMS");
                if (!Files.exists(sums)) {
                    return Set.of(); // a fresh publish directory
                }
                p = sums;
            } else if (!Files.exists(p)) {
                throw new NoSuchFileException(published, null, "--published: no such file or directory");
            }
            text = Files.readString(p, StandardCharsets.UTF_8);
        }
        Set<String> names = new LinkedHashSet<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            // sha256sum's format: 64 hex digits, a space, a space or '*', the name.
            if (line.length() < 67 || !line.substring(0, 64).matches("[0-9a-fA-F]{64}") || line.charAt(64) != ' ') {
                throw new IOException("--published: " + published + " line " + lineNumber
                        + " is not a SHA256SUMS line (HEX  NAME): " + line);
            }
            names.add(line.substring(66));
        }
        return names;
    }

    private static String toJson(List<Entry> entries) {
        List<Object> include = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recipe", e.recipe());
            m.put("version", e.version());
            m.put("arch", e.arch().systemdName());
            m.put("image", e.image());
            include.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("include", include);
        StringBuilder b = new StringBuilder();
        JsonText.write(b, m);
        return b.toString();
    }
}
