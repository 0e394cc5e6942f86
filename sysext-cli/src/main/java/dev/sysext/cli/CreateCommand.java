package dev.sysext.cli;

import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.Version;
import dev.sysext.fetch.WarmUp;
import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.BuildInput;
import dev.sysext.stage.BuildRequest;
import dev.sysext.stage.BuiltImage;
import dev.sysext.stage.ExtensionRelease;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.erofs.ErofsCompression;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.Upstream;
import dev.sysext.verify.ImageStatistics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext create NAME [VERSION] [ARCH]}: builds a verified, reproducible sysext image. */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Build a verified, reproducible extension image from upstream releases.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext create containerd                   # newest release, x86-64, in .",
            "  sysext create containerd 2.2.0 arm64 -o /srv/sysext",
            "  sysext create containerd 2.2.0 --os flatcar  # ID=flatcar, SYSEXT_LEVEL=1.0",
            "  sysext create containerd 2.2.0 --comp zstd --level 19",
            "  sysext create containerd 2.2.0 --json | jq -r .sha256",
            "  sysext create --recipe ./my-recipe 1.4.0   # a recipe outside the catalog",
            "  SOURCE_DATE_EPOCH=1700000000 sysext -q create containerd 2.2.0"},
        description = {"Builds NAME-VERSION-ARCH.raw from the extension's upstream release, verified, reproducibly.",
            "Every file is owned by root and every time is the epoch (--epoch, else SOURCE_DATE_EPOCH, else 0)."})
final class CreateCommand implements Runnable {
    /** The {@code schema} of {@code --json}; a change that removes or retypes a field gets a new version. */
    static final String SCHEMA = "sysext.create/v1";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "The extension (e.g. containerd); see `sysext list`. Left out with --recipe.")
    String name;

    @Option(names = "--recipe", paramLabel = "PATH",
            description = "Build from this recipe (a directory with recipe.toml, or the file) instead of the catalog's.")
    Path recipePath;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
            description = "The upstream version, e.g. 2.2.0 (default: the newest release).")
    String version;

    @Parameters(index = "2", arity = "0..1", paramLabel = "ARCH", description = "x86-64 (default) or arm64.")
    String positionalArch;

    @Option(names = "--arch", paramLabel = "ARCH", description = "x86-64 (default) or arm64.")
    String arch;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write the image (default: .).")
    Path output = Path.of(".");

    @Option(names = "--os", paramLabel = "ID",
            description = "The host OS the image is for: _any (default) or an os-release ID such as flatcar.")
    String os = ExtensionRelease.ANY;

    @Option(names = "--sysext-level", paramLabel = "LEVEL",
            description = "SYSEXT_LEVEL written when --os is not _any (default: 1.0).")
    String sysextLevel = "1.0";

    @Option(names = "--epoch", paramLabel = "SECONDS",
            description = "Every time in the image (default: SOURCE_DATE_EPOCH, else 0).")
    Long epoch;

    @Option(names = "--comp", paramLabel = "NAME", description = "Compressor: gzip (default), xz, zstd or lz4.")
    String compression = "gzip";

    @Option(names = "--level", paramLabel = "N", description = "gzip 1-9 (default 9) or zstd 1-22 (default 15).")
    int level;

    @Option(names = {"-b", "--block-size"}, paramLabel = "SIZE",
            description = "Data block size, 4K to 1M (default 128K).")
    String blockSize = "128K";

    @Option(names = "--threads", paramLabel = "N",
            description = "Compression threads (default: the number of CPUs); the image is the same for every value.")
    Integer threads;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Image file system: squashfs (default) or erofs (lz4hc,12, 64K clusters, as the bakery's"
                    + " --format erofs; --comp, --level and --block-size are for squashfs).")
    String format = "squashfs";

    @Mixin
    BuildInputOptions inputs = new BuildInputOptions();

    @Option(names = "--json", description = "Print a " + SCHEMA + " JSON object on stdout instead of the SHA256  PATH line.")
    boolean json;

    @Mixin
    UpstreamOptions upstreamOptions = new UpstreamOptions();

    @Override
    public void run() {
        // TLS, the HTTP client and Bouncy Castle load on another CPU while the arguments and the recipe are read.
        WarmUp.start();
        if (recipePath != null) {
            if (positionalArch != null) {
                throw usage("with --recipe, give at most VERSION and ARCH");
            }
            // No NAME with --recipe: the positionals are VERSION [ARCH].
            positionalArch = version;
            version = name;
        } else if (name == null) {
            throw usage("Missing required parameter: 'NAME' (or --recipe PATH)");
        }
        Recipe recipe = recipePath != null ? RecipeSelection.at(recipePath) : RecipeSelection.named(name);
        name = recipe.name();
        Optional<Version> wanted = Optional.empty();
        Optional<String> archText = Optional.ofNullable(positionalArch);
        if (version != null && !version.equals("latest")) {
            Optional<Version> v = Version.tryParse(version);
            if (v.isEmpty() && positionalArch == null && isArchitecture(version)) {
                archText = Optional.of(version); // `create containerd arm64`
            } else {
                wanted = Optional.of(v.orElseThrow(() -> usage("'" + version + "' is not a version (e.g. 2.2.0)")));
            }
        }
        if (archText.isPresent() && arch != null && Architecture.parse(arch) != parseArch(archText.get())) {
            throw usage("ARCH '" + archText.get() + "' and --arch " + arch + " disagree");
        }
        Architecture architecture = parseArch(archText.orElse(arch != null ? arch : "x86-64"));
        inputs.check(spec.commandLine());
        long seconds = epoch();
        WriterOptions options;
        try {
            options = BuildRequest.imageOptions(WriterOptions.builder()
                    .compression(Compression.fromName(compression))
                    .level(level)
                    .blockSize(parseSize(blockSize))
                    .workers(threads != null ? threads : Runtime.getRuntime().availableProcessors()), seconds);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        BuildRequest request;
        try {
            request = new BuildRequest(recipe, wanted, architecture, os, sysextLevel, seconds, options, output,
                    "sysext " + VersionProvider.version());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (!format.equals("squashfs") && !format.equals("erofs")) {
            throw usage("--format " + format + ": not squashfs or erofs");
        }
        ErofsCompression erofs = format.equals("erofs") ? ErofsCompression.BAKERY : null;
        StatusOutput status = StatusOutput.of(spec, upstreamOptions.environment);
        Upstream upstream = UpstreamFailures.run(() -> inputs.upstream(upstreamOptions, status.downloads()));
        inputs.unverifiedWarning().ifPresent(status::warning);
        if (inputs.allowUnverified) {
            status.warning("--allow-unverified: inputs that upstream publishes no checksum or signature for are"
                    + " used unverified, and the image's build manifest says so");
        }
        status.step("building " + name + " " + wanted.map(Version::toString).orElse("(newest release)")
                + " for " + architecture.systemdName());
        BuiltImage image;
        ImageWriteProgress writing = status.imageWrite("writing " + name);
        try {
            image = UpstreamFailures.run(() -> new ImageBuilder(upstream).build(request, erofs, writing));
        } finally {
            writing.close();
            status.endLive();
        }
        for (Evidence e : image.evidence()) {
            status.step("verified: " + e.describe());
        }
        String hash = UpstreamFailures.run(() -> Checksum.hash(HashAlgorithm.SHA256, image.path()));
        ImageStatistics stats = UpstreamFailures.run(() -> ImageStatistics.of(image.path()));
        status.step("wrote " + image.path() + " (" + Sizes.describe(stats) + ")");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            StringBuilder b = new StringBuilder();
            JsonText.write(b, toJson(image, hash, stats));
            out.println(b);
        } else {
            out.println(hash + "  " + image.path());
        }
        out.flush();
    }

    private static Map<String, Object> toJson(BuiltImage image, String sha256, ImageStatistics stats) {
        ExtensionRelease release = image.extensionRelease();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("image", image.path().toString());
        m.put("fileName", image.path().getFileName().toString());
        m.put("sha256", sha256);
        m.put("size", stats.imageBytes());
        m.put("name", release.name());
        m.put("version", image.version().toString());
        m.put("architecture", release.architecture());
        m.put("components", image.components());
        m.put("signers", image.signers());
        m.put("files", stats.files());
        m.put("fileBytes", stats.fileBytes());
        m.put("extensionRelease", ExtensionRelease.parseFields(release.render()));
        m.put("unverified", image.manifest().inputs().stream().filter(i -> !i.verified()).map(BuildInput::name).toList());
        m.put("evidence", image.evidence().stream().map(Evidence::describe).toList());
        return m;
    }

    private long epoch() {
        try {
            return epoch(epoch, upstreamOptions.environment);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The image's time: {@code --epoch}, else {@code SOURCE_DATE_EPOCH}, else 0.
     *
     * @throws CommandFailure when SOURCE_DATE_EPOCH is not a valid time
     * @throws IllegalArgumentException when {@code --epoch} is not a valid time
     */
    static long epoch(Long option, java.util.Map<String, String> environment) {
        if (option != null) {
            if (option < 0 || option > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("--epoch " + option + " is outside 0..4294967295");
            }
            return option;
        }
        String env = environment.get("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(env.strip());
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, "SOURCE_DATE_EPOCH='" + env
                    + "' is not a number of seconds in 0..4294967295");
        }
    }

    private static boolean isArchitecture(String s) {
        try {
            Architecture.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Architecture parseArch(String s) {
        try {
            return Architecture.parse(s);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** {@code 131072}, {@code 128K}, {@code 1M}. */
    static int parseSize(String s) {
        String t = s.strip().toUpperCase(java.util.Locale.ROOT);
        int shift = t.endsWith("K") ? 10 : t.endsWith("M") ? 20 : 0;
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits) << shift;
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("block size '" + s + "' is not a size such as 131072, 128K or 1M");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
