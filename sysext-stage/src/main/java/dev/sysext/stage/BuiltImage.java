package dev.sysext.stage;

import dev.sysext.fetch.Version;
import java.nio.file.Path;
import java.util.List;

/**
 * An image that was written.
 *
 * @param path the {@code NAME-VERSION-ARCH.raw} file
 * @param version the version built
 * @param extensionRelease its metadata
 * @param evidence one line per verification its inputs passed
 * @param manifest the build manifest stored in the image
 */
public record BuiltImage(Path path, Version version, ExtensionRelease extensionRelease, List<String> evidence,
                         BuildManifest manifest) {
    /** Copies the list. */
    public BuiltImage {
        evidence = List.copyOf(evidence);
    }
}
