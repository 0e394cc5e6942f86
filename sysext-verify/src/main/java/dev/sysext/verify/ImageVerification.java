package dev.sysext.verify;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.erofs.ErofsFormatException;
import dev.sysext.erofs.ErofsImage;
import dev.sysext.entry.ImageEntry;
import java.io.InputStream;
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
        boolean erofs;
        try {
            erofs = ExtensionImage.detect(image) == ExtensionImage.Format.EROFS;
        } catch (IOException e) {
            erofs = false; // the SquashFS reader says what is wrong
        }
        if (erofs) {
            return ofErofs(image);
        }
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

    /** EROFS: every entry lists and every file's content decodes (there are no checksums to check). */
    private static ImageVerification ofErofs(Path image) throws IOException {
        try (ErofsImage img = ErofsImage.open(image)) {
            Optional<String> damage = Optional.empty();
            try {
                byte[] buffer = new byte[1 << 16];
                for (ImageEntry e : img.entries()) {
                    if (e.isFile()) {
                        try (InputStream in = img.open(e)) {
                            while (in.read(buffer) >= 0) {
                                // decoding is the check
                            }
                        }
                    }
                }
            } catch (ErofsFormatException e) {
                damage = Optional.of(oneLine(e));
            }
            try {
                return new ImageVerification(damage, BuildManifest.read(img));
            } catch (ErofsFormatException e) {
                if (damage.isEmpty()) {
                    throw e;
                }
                return new ImageVerification(damage, Optional.empty());
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
