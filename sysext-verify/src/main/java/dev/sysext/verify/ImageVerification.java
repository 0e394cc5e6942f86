package dev.sysext.verify;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.stage.BuildManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether every structure of an image reads and checks out (inodes, directories, every data block
 * and fragment, xattrs, tables), and the build manifest it holds: what {@code sysext verify IMAGE}
 * reports.
 *
 * @param damage what is damaged, in one line, or empty when the image is sound
 * @param manifest the image's build manifest ({@link BuildManifest#read}), or empty when it has none
 *     or, in a damaged image, it cannot be read
 */
public record ImageVerification(Optional<String> damage, Optional<BuildManifest> manifest) {
    /** Checks for nulls. */
    public ImageVerification {
        Objects.requireNonNull(damage);
        Objects.requireNonNull(manifest);
    }

    /**
     * Reads and checks {@code image}.
     *
     * @throws IOException when the file cannot be opened or is not a SquashFS image at all
     * @throws dev.sysext.stage.StageException when a sound image holds a manifest that cannot be read
     */
    public static ImageVerification of(Path image) throws IOException {
        try (SquashfsImage img = SquashfsImage.open(image)) {
            Optional<String> damage;
            try {
                img.verify();
                damage = Optional.empty();
            } catch (SquashfsFormatException e) {
                damage = Optional.of(oneLine(e));
            }
            try {
                return new ImageVerification(damage, BuildManifest.read(img));
            } catch (SquashfsFormatException e) {
                if (damage.isEmpty()) {
                    throw e;
                }
                return new ImageVerification(damage, Optional.empty()); // the damage says why
            }
        }
    }

    /** Whether every structure read and checked out. */
    public boolean sound() {
        return damage.isEmpty();
    }

    static String oneLine(IOException e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
