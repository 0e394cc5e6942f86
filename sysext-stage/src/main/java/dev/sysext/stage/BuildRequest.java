package dev.sysext.stage;

import dev.sysext.fetch.Version;
import dev.sysext.squashfs.WriterOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to build: the extension, version and architecture, how the image matches hosts, and how it
 * is written.
 *
 * @param recipe the extension's recipe
 * @param version the version, or empty for the newest release
 * @param architecture the target architecture
 * @param osId {@link ExtensionRelease#ANY} or the host's os-release {@code ID} (e.g. {@code flatcar})
 * @param sysextLevel the {@code SYSEXT_LEVEL} when {@code osId} is not {@code _any}
 * @param epoch every time in the image, seconds since 1970 ({@code SOURCE_DATE_EPOCH})
 * @param writerOptions how the SquashFS image is written; must be made with {@link #imageOptions}
 *     so that ownership and times follow the rules of sysext images
 * @param outputDirectory where {@code NAME-VERSION-ARCH.raw} is written
 * @param tool the program and version recorded in the build manifest ({@code sysext 0.1.0}); a
 *     rebuild passes the recorded one so that only real differences remain
 * @param inputVersions versions of inputs that resolve their own version, by input name, fixed
 *     instead of resolved (a rebuild passes the recorded ones); empty for a fresh build
 */
public record BuildRequest(Recipe recipe, Optional<Version> version, Architecture architecture, String osId,
                           String sysextLevel, long epoch, WriterOptions writerOptions, Path outputDirectory,
                           String tool, Map<String, String> inputVersions) {
    /** A fresh build: no input versions fixed in advance. */
    public BuildRequest(Recipe recipe, Optional<Version> version, Architecture architecture, String osId,
                        String sysextLevel, long epoch, WriterOptions writerOptions, Path outputDirectory, String tool) {
        this(recipe, version, architecture, osId, sysextLevel, epoch, writerOptions, outputDirectory, tool, Map.of());
    }

    /** Checks that the writer options store root ownership and the epoch everywhere. */
    public BuildRequest {
        Objects.requireNonNull(recipe);
        Objects.requireNonNull(version);
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(osId);
        Objects.requireNonNull(outputDirectory);
        Objects.requireNonNull(tool);
        inputVersions = Map.copyOf(inputVersions);
        if (epoch < 0 || epoch > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside what SquashFS stores (0..4294967295)");
        }
        if (!writerOptions.allRoot() || writerOptions.mkfsTime() != epoch
                || !writerOptions.fixedInodeTime().equals(OptionalLong.of(epoch))) {
            throw new IllegalArgumentException("writer options must store root ownership and the epoch " + epoch
                    + " everywhere; make them with BuildRequest.imageOptions");
        }
        // Checked here so that a bad --os fails before anything is downloaded.
        new ExtensionRelease(recipe.name(), osId, sysextLevel, architecture.systemdName(), false);
    }

    /** {@code base} with what every sysext image has: all files owned by root, every time {@code epoch}. */
    public static WriterOptions imageOptions(WriterOptions.Builder base, long epoch) {
        return base.allRoot(true).mkfsTime(epoch).fixedInodeTime(OptionalLong.of(epoch)).build();
    }
}
