package dev.sysext.verify;

import dev.sysext.squashfs.WriterOptions;
import dev.sysext.stage.BuildInput;
import dev.sysext.stage.BuildManifest;
import dev.sysext.stage.BuildRequest;
import dev.sysext.stage.BuiltImage;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.stage.Recipe;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The reproducible-build check behind {@code sysext verify --rebuild}: builds an image again from its
 * build manifest (the recorded recipe, version, architecture, os, epoch and compressor settings,
 * with every input fetched and verified as {@link ImageBuilder} does) and compares the two byte for
 * byte, then, where they differ, file by file.
 *
 * <pre>{@code
 * ImageVerification v = ImageVerification.of(image);
 * Rebuild.Result r = new Rebuild(upstream, RecipeCatalog.load())
 *         .run(image, v.manifest().orElseThrow(), outputDirectory, 4);
 * if (!r.identical()) { ... r.firstDifference(), r.treeDifferences(), r.changedInputs() ... }
 * }</pre>
 */
public final class Rebuild {
    /** At most this many file differences are listed. */
    public static final int SHOWN_DIFFERENCES = 20;

    private final Upstream upstream;
    private final RecipeCatalog recipes;

    /**
     * @param upstream where the inputs come from (the user's mirrors, keyring and local files)
     * @param recipes where the manifest's recipe is looked up
     */
    public Rebuild(Upstream upstream, RecipeCatalog recipes) {
        this.upstream = Objects.requireNonNull(upstream);
        this.recipes = Objects.requireNonNull(recipes);
    }

    /**
     * What the rebuild found.
     *
     * @param rebuilt the rebuilt image, with the evidence of its inputs
     * @param changedInputs inputs whose hash, URL or version is no longer the recorded one, in words
     * @param firstDifference the offset of the first byte that differs, or empty when identical
     * @param treeDifferences when the bytes differ, the files that differ ({@link ImageComparison#treeDifferences})
     */
    public record Result(BuiltImage rebuilt, List<String> changedInputs, OptionalLong firstDifference,
                         List<String> treeDifferences) {
        /** Copies the lists. */
        public Result {
            Objects.requireNonNull(rebuilt);
            changedInputs = List.copyOf(changedInputs);
            Objects.requireNonNull(firstDifference);
            treeDifferences = List.copyOf(treeDifferences);
        }

        /** Whether the image and its rebuild are the same bytes, made from the same inputs. */
        public boolean identical() {
            return firstDifference.isEmpty() && changedInputs.isEmpty();
        }
    }

    /**
     * The request that builds {@code recorded} again into {@code outputDirectory} with
     * {@code threads} compression threads (which do not change the bytes).
     *
     * @throws dev.sysext.stage.StageException when the manifest's recipe is unknown here
     * @throws IllegalArgumentException when the recorded settings cannot be built
     */
    public BuildRequest request(BuildManifest recorded, Path outputDirectory, int threads) throws IOException {
        Recipe recipe = recipes.require(recorded.recipe());
        WriterOptions options = BuildRequest.imageOptions(WriterOptions.builder()
                .compression(recorded.compression())
                .level(recorded.level())
                .blockSize(recorded.blockSize())
                .workers(threads), recorded.epoch());
        // Inputs that resolved their own version (containerd's runc, the newest CNI plugins) take the recorded one.
        Map<String, String> inputVersions = new LinkedHashMap<>();
        recorded.inputs().forEach(i -> inputVersions.put(i.name(), i.version()));
        return new BuildRequest(recipe, Optional.of(recorded.version()), recorded.architecture(), recorded.osId(),
                recorded.sysextLevel() == null ? "1.0" : recorded.sysextLevel(), recorded.epoch(), options,
                outputDirectory, recorded.tool(), inputVersions);
    }

    /**
     * Rebuilds {@code image} from {@code recorded}, its manifest, into {@code outputDirectory} and
     * compares.
     *
     * @throws dev.sysext.fetch.VerificationException when an input fails verification
     * @throws dev.sysext.fetch.FetchException when an input cannot be fetched
     * @throws dev.sysext.stage.StageException when the recipe is unknown or cannot build the version
     * @throws IllegalArgumentException when the recorded settings cannot be built
     */
    public Result run(Path image, BuildManifest recorded, Path outputDirectory, int threads) throws IOException {
        return compare(image, recorded, new ImageBuilder(upstream).build(request(recorded, outputDirectory, threads),
                recorded.erofs(), dev.sysext.squashfs.WriteProgress.NONE));
    }

    /** Compares {@code image} with its {@code rebuilt} image. */
    public static Result compare(Path image, BuildManifest recorded, BuiltImage rebuilt) throws IOException {
        List<String> changedInputs = changedInputs(recorded, rebuilt.manifest());
        OptionalLong offset = ImageComparison.firstDifference(image, rebuilt.path());
        List<String> files = List.of();
        if (offset.isPresent()) {
            try {
                files = ImageComparison.treeDifferences(image, rebuilt.path(), SHOWN_DIFFERENCES);
            } catch (IOException e) {
                files = List.of("the trees cannot be compared: " + ImageVerification.oneLine(e));
            }
        }
        return new Result(rebuilt, changedInputs, offset, files);
    }

    /** Inputs whose hash (or URL, or version) in {@code rebuilt} is no longer the one {@code recorded}, in words. */
    public static List<String> changedInputs(BuildManifest recorded, BuildManifest rebuilt) {
        List<String> changes = new ArrayList<>();
        for (BuildInput was : recorded.inputs()) {
            Optional<BuildInput> now = rebuilt.inputs().stream().filter(i -> i.name().equals(was.name())).findFirst();
            if (now.isEmpty()) {
                changes.add(was.name() + " " + was.version() + " is no longer an input");
            } else if (!now.get().equals(was)) {
                BuildInput n = now.get();
                changes.add(was.name() + ": the image was built from " + was.version() + " " + was.url() + " sha256 "
                        + was.sha256() + ", the rebuild got " + n.version() + " " + n.url() + " sha256 " + n.sha256());
            }
        }
        for (BuildInput n : rebuilt.inputs()) {
            if (recorded.inputs().stream().noneMatch(i -> i.name().equals(n.name()))) {
                changes.add(n.name() + " " + n.version() + " is a new input");
            }
        }
        return changes;
    }
}
