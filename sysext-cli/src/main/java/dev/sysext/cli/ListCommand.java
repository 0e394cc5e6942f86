package dev.sysext.cli;

import dev.sysext.fetch.Release;
import dev.sysext.fetch.ReleaseIndex;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sysext list [NAME]}: without NAME the catalog (every recipe, what it ships, how its inputs
 * are verified); with NAME the versions an extension can be built in, newest first.
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "List the recipe catalog, or the versions an extension can be built in.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext list                        # the catalog: every recipe and its checks",
            "  sysext list --json | jq -r '.recipes[].name'",
            "  sysext list containerd             # every release, newest first",
            "  sysext list containerd --latest    # newest patch of the 5 newest minor lines",
            "  sysext list containerd --json | jq -r '.releases[0].version'"},
        description = {"Without NAME, lists the recipe catalog: each extension, what it ships and how",
            "each of its inputs is verified. With NAME (or --recipe), lists the versions the",
            "extension can be built in, newest first (no pre-releases).",
            "Set GITHUB_TOKEN to raise GitHub's API rate limit."})
final class ListCommand implements Runnable {
    /** The number of minor lines --latest shows, as the bakery does. */
    static final int LATEST_LINES = 5;
    /** The {@code schema} of {@code --json}. */
    static final String SCHEMA = "sysext.list/v1";
    /** The {@code schema} of {@code --json} without NAME. */
    static final String CATALOG_SCHEMA = "sysext.catalog/v1";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "The extension (e.g. containerd); without it, the catalog.")
    String name;

    @Option(names = "--recipe", paramLabel = "PATH",
            description = "List the versions of this recipe (directory or recipe.toml) instead of NAME's.")
    java.nio.file.Path recipePath;

    @Option(names = "--latest", description = "Only the newest patch release of each of the "
            + LATEST_LINES + " newest minor lines.")
    boolean latest;

    @Option(names = "--json", description = "Print a " + SCHEMA + " JSON object: the releases as"
            + " {\"version\", \"tag\", \"published\"} objects.")
    boolean json;

    @Mixin
    UpstreamOptions upstreamOptions = new UpstreamOptions();

    @Override
    public void run() {
        if (name == null && recipePath == null) {
            if (latest) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--latest needs NAME");
            }
            catalog();
            return;
        }
        if (name != null && recipePath != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give NAME or --recipe, not both");
        }
        Recipe recipe = recipePath != null ? RecipeSelection.at(recipePath) : RecipeSelection.named(name);
        name = recipe.name();
        Upstream upstream = UpstreamFailures.run(() -> upstreamOptions.upstream(Optional.empty(), Optional.empty(),
                Optional.empty(), ProgressListener.NONE));
        ReleaseIndex index = UpstreamFailures.run(() -> recipe.releases(upstream));
        List<Release> releases = latest ? index.newestPatchPerMinorLine(LATEST_LINES) : index.newestFirst();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(releases));
        } else {
            releases.forEach(r -> out.println(r.version()));
        }
        out.flush();
    }

    /** The catalog: a table of name and what it ships, each followed by how its inputs are verified. */
    private void catalog() {
        List<Recipe> recipes = UpstreamFailures.run(() -> RecipeCatalog.load().all());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> entries = new ArrayList<>();
            for (Recipe r : recipes) {
                entries.add(CatalogJson.of(r));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", CATALOG_SCHEMA);
            m.put("recipes", entries);
            StringBuilder b = new StringBuilder();
            JsonText.write(b, m);
            out.println(b);
        } else {
            int width = recipes.stream().mapToInt(r -> r.name().length()).max().orElse(4) + 2;
            for (Recipe r : recipes) {
                out.println(pad(r.name(), width) + r.description());
                out.println(pad("", width) + "verified: " + r.verification());
            }
        }
        out.flush();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }

    private String toJson(List<Release> releases) {
        List<Object> entries = new ArrayList<>();
        for (Release r : releases) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("version", r.version().toString());
            e.put("tag", r.tag());
            e.put("published", r.publishedAt().map(Object::toString).orElse(null));
            entries.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("name", name);
        m.put("latest", latest);
        m.put("releases", entries);
        StringBuilder b = new StringBuilder();
        JsonText.write(b, m);
        return b.toString();
    }
}
