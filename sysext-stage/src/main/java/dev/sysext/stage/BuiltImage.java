package dev.sysext.stage;

import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.Version;
import java.nio.file.Path;
import java.util.List;

/**
 * An image that was written.
 *
 * @param path the {@code NAME-VERSION-ARCH.raw} file
 * @param version the version built
 * @param extensionRelease its metadata
 * @param evidence every check its inputs passed (see {@link Evidence#describe()})
 * @param manifest the build manifest stored in the image
 */
public record BuiltImage(Path path, Version version, ExtensionRelease extensionRelease, List<Evidence> evidence,
                         BuildManifest manifest) {
    /** Copies the list. */
    public BuiltImage {
        evidence = List.copyOf(evidence);
    }
}
