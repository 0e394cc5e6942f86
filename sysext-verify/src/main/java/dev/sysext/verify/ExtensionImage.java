package dev.sysext.verify;

import dev.sysext.entry.ImageReader;
import dev.sysext.erofs.ErofsImage;
import dev.sysext.squashfs.SquashfsImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a sysext image whatever its file system: {@link #open} tells SquashFS from EROFS by the
 * superblock's magic and returns the format's reader as an {@link ImageReader}, so that the checks
 * here ({@link MergeCheck}) and the commands that list or extract an image work on both.
 *
 * <pre>{@code
 * try (ImageReader image = ExtensionImage.open(path)) {
 *     for (ImageEntry e : image.entries()) {
 *         System.out.println(e.path());
 *     }
 * }
 * }</pre>
 */
public final class ExtensionImage {
    /** The file systems an image can have. */
    public enum Format {
        /** SquashFS 4.0: {@code hsqs} at offset 0. */
        SQUASHFS,
        /** EROFS: magic 0xE0F5E1E2 (little-endian) at offset 1024. */
        EROFS;

        /** The name as the manifest and {@code --format} spell it. */
        public String displayName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ExtensionImage() {
    }

    /**
     * The file system of the image at {@code image}, by its magic.
     *
     * @throws IOException when it cannot be read or is neither SquashFS nor EROFS (the message names the file)
     */
    public static Format detect(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1028).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read up to the EROFS magic
            }
            if (b.position() >= 4 && b.getInt(0) == 0x73717368) {
                return Format.SQUASHFS;
            }
            if (b.position() == 1028 && b.getInt(1024) == 0xE0F5E1E2) {
                return Format.EROFS;
            }
            throw new IOException(image + ": neither a SquashFS image ('hsqs' at offset 0) nor an EROFS image"
                    + " (0xE0F5E1E2 at offset 1024)");
        }
    }

    /**
     * Opens the image with the reader its magic calls for: a {@link SquashfsImage} or an
     * {@link ErofsImage}. Closing the reader closes the image.
     *
     * @throws IOException when it cannot be read, is neither format, or the reader refuses it
     */
    public static ImageReader open(Path image) throws IOException {
        return detect(image) == Format.EROFS ? ErofsImage.open(image) : SquashfsImage.open(image);
    }
}
