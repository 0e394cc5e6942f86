package dev.sysext.cli;

import dev.sysext.fetch.Evidence;
import dev.sysext.stage.BuildManifest;
import dev.sysext.stage.BuildRequest;
import dev.sysext.stage.BuiltImage;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import dev.sysext.verify.ImageVerification;
import dev.sysext.verify.Rebuild;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sysext verify IMAGE [--rebuild]}: reads and checks every structure of an image and shows
 * its build manifest; with {@code --rebuild}, builds the image again from the manifest and compares
 * byte for byte.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Check an image's structure, or rebuild it and compare byte for byte.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext verify containerd-2.2.0-x86-64.raw             # structure + build manifest",
            "  sysext verify containerd-2.2.0-x86-64.raw --rebuild   # the reproducible-build check",
            "  sysext verify containerd.raw --rebuild --keep rebuilt/  # keep the rebuild"},
        description = {"Reads every structure of IMAGE (inodes, directories, every data block and fragment, xattrs,",
            "tables) and prints its build manifest (usr/share/sysext/NAME.json).",
            "With --rebuild, builds the image again from the recorded recipe, version, inputs and options",
            "(fetched and verified like `sysext create`) and compares the two byte for byte: the reproducible-build",
            "check. Exit status 0 when the image is sound (and identical to its rebuild), 4 when it is damaged,",
            "differs, or an input no longer has the recorded hash; 3 when it has no readable manifest."})
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to verify.")
    Path image;

    @Option(names = "--rebuild", description = "Build the image again from its manifest and compare byte for byte.")
    boolean rebuild;

    @Option(names = "--keep", paramLabel = "DIR", description = "With --rebuild: keep the rebuilt image in DIR.")
    Path keep;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compression threads for the rebuild (default: the number of CPUs); no effect on the bytes.")
    Integer threads;

    @Option(names = "--recipe", paramLabel = "PATH",
            description = "With --rebuild: the recipe (directory or recipe.toml) the image was built from, when it is"
                    + " not in the catalog.")
    Path recipePath;

    @Mixin
    BuildInputOptions inputs = new BuildInputOptions();

    @Mixin
    UpstreamOptions upstreamOptions = new UpstreamOptions();

    @Override
    public Integer call() {
        if (!rebuild && (keep != null || threads != null || recipePath != null || inputs.given())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keep, --threads, --recipe, --cache,"
                    + " --keyring, --from and --allow-unverified apply to --rebuild only");
        }
        inputs.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        ImageVerification verification;
        try {
            verification = ImageVerification.of(image);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + CommandFailure.oneLine(e), e);
        }
        Optional<String> damage = verification.damage();
        Optional<BuildManifest> manifest = verification.manifest();
        if (damage.isPresent()) {
            out.println(image + ": DAMAGED: " + damage.get());
        } else {
            out.println(image + (erofs() ? ": every inode and directory reads and every file decodes (EROFS)"
                    : ": every inode, directory, data block, fragment, xattr and table reads and checks out"));
        }
        if (manifest.isEmpty()) {
            out.println(damage.isPresent() ? "no readable build manifest"
                    : "no build manifest (" + BuildManifest.DIRECTORY + "NAME.json): not made by `sysext create`");
            out.flush();
            if (rebuild && damage.isPresent()) {
                throw new CommandFailure(ExitCode.VERIFICATION_FAILED, image + " is damaged (" + damage.get()
                        + "); its build manifest cannot be read, so it cannot be rebuilt");
            }
            if (rebuild) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, image + " has no build manifest in "
                        + BuildManifest.DIRECTORY + ", so it cannot be rebuilt");
            }
        } else {
            out.println("build manifest " + manifest.get().path() + ":");
            out.print(manifest.get().render());
            out.flush();
        }
        if (!rebuild) {
            if (damage.isPresent()) {
                throw new CommandFailure(ExitCode.VERIFICATION_FAILED, image + " is damaged: " + damage.get());
            }
            return ExitCode.OK.code;
        }
        return rebuildAndCompare(manifest.get(), damage, out);
    }

    private boolean erofs() {
        try {
            return dev.sysext.verify.ExtensionImage.detect(image) == dev.sysext.verify.ExtensionImage.Format.EROFS;
        } catch (IOException e) {
            return false;
        }
    }

    private int rebuildAndCompare(BuildManifest recorded, Optional<String> damage, PrintWriter out) {
        String tool = "sysext " + VersionProvider.version();
        PrintWriter err = spec.commandLine().getErr();
        if (!recorded.tool().equals(tool)) {
            err.println("note: the image was made by " + recorded.tool() + ", this is " + tool
                    + "; a difference may come from the tool rather than the inputs");
        }
        inputs.unverifiedWarning().ifPresent(w -> err.println("warning: " + w));
        err.flush();
        Recipe chosen = recipePath != null ? RecipeSelection.at(recipePath) : RecipeSelection.named(recorded.recipe());
        if (!chosen.name().equals(recorded.recipe())) {
            throw new CommandFailure(ExitCode.USAGE, "--recipe " + recipePath + " is the recipe '" + chosen.name()
                    + "', but " + image + " was built from '" + recorded.recipe() + "'");
        }
        RecipeCatalog recipes = UpstreamFailures.run(() -> RecipeCatalog.of(List.of(chosen)));
        Path dir = null;
        try {
            dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("sysext-verify-");
            Path target = dir.resolve(ImageBuilder.imageName(recorded.recipe(), recorded.version(), recorded.architecture()));
            if (Files.exists(target) && Files.isSameFile(target, image)) {
                throw new CommandFailure(ExitCode.USAGE, "--keep " + keep + " would write the rebuild over " + image
                        + " itself; keep it in another directory");
            }
            Upstream upstream = UpstreamFailures.run(() -> inputs.upstream(upstreamOptions,
                    StatusOutput.of(spec).downloads()));
            Rebuild rebuilder = new Rebuild(upstream, recipes);
            Path output = dir;
            int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            BuildRequest request;
            try {
                request = rebuilder.request(recorded, output, workers);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": the build manifest cannot be rebuilt: "
                        + e.getMessage(), e);
            }
            BuiltImage rebuilt = UpstreamFailures.run(() -> new ImageBuilder(upstream).build(request, recorded.erofs(),
                    dev.sysext.squashfs.WriteProgress.NONE));
            for (Evidence e : rebuilt.evidence()) {
                err.println("verified: " + e.describe());
            }
            err.flush();
            Rebuild.Result result = Rebuild.compare(image, recorded, rebuilt);
            List<String> changedInputs = result.changedInputs();
            OptionalLong offset = result.firstDifference();
            if (result.identical() && damage.isEmpty()) {
                out.println(image + ": IDENTICAL to its rebuild (" + Files.size(image) + " bytes)"
                        + (keep != null ? ": " + rebuilt.path() : ""));
                out.flush();
                return ExitCode.OK.code;
            }
            for (String change : changedInputs) {
                out.println("input changed: " + change);
            }
            String verdict;
            if (offset.isPresent()) {
                long a = Files.size(image);
                long b = Files.size(rebuilt.path());
                out.println(image + ": DIFFERS from its rebuild from byte offset " + offset.getAsLong() + " (0x"
                        + Long.toHexString(offset.getAsLong()) + "); sizes " + a + " and " + b + " bytes");
                List<String> files = result.treeDifferences();
                if (files.isEmpty()) {
                    out.println("the file trees are the same: the difference is in how they are stored");
                } else {
                    out.println("differences, image vs rebuild:");
                    files.forEach(f -> out.println("  " + f));
                }
                verdict = image + " differs from its rebuild from byte " + offset.getAsLong()
                        + (files.isEmpty() ? "" : " (" + files.get(0) + ")");
            } else {
                verdict = image + " is byte-identical to its rebuild, but "
                        + (damage.isPresent() ? "damaged: " + damage.get() : "its inputs changed");
            }
            if (!changedInputs.isEmpty()) {
                verdict += "; upstream inputs are no longer what the image was built from: "
                        + String.join("; ", changedInputs);
            }
            out.flush();
            throw new CommandFailure(ExitCode.VERIFICATION_FAILED, verdict);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, "rebuild of " + image + ": " + CommandFailure.oneLine(e), e);
        } finally {
            if (keep == null && dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the rebuild directory " + dir, e);
        }
    }
}
