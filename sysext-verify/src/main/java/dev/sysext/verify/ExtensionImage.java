package dev.sysext.verify;

import dev.sysext.erofs.ErofsImage;
import dev.sysext.squashfs.ImageEntry;
import dev.sysext.squashfs.SquashfsImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A sysext image read the same way whatever its file system: its entries and the content of its
 * files. {@link #open} tells SquashFS from EROFS by the superblock's magic, so the checks here
 * ({@link MergeCheck}) work on both.
 *
 * <pre>{@code
 * try (ExtensionImage image = ExtensionImage.open(path)) {
 *     for (ImageEntry e : image.entries()) {
 *         System.out.println(image.format() + " " + e.path());
 *     }
 * }
 * }</pre>
 */
public interface ExtensionImage extends AutoCloseable {
    /** The file systems an image can have. */
    enum Format {
        /** SquashFS 4.0: {@code hsqs} at offset 0. */
        SQUASHFS,
        /** EROFS: magic 0xE0F5E1E2 (little-endian) at offset 1024. */
        EROFS;

        /** The name as the manifest and {@code --format} spell it. */
        public String displayName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The file system of this image. */
    Format format();

    /** Where the image was opened from. */
    Path path();

    /** Every entry, parents before children, with paths relative to the root ({@code ""}). */
    List<ImageEntry> entries() throws IOException;

    /** The entry at {@code path}, if there is one. */
    default Optional<ImageEntry> lookup(String path) throws IOException {
        for (ImageEntry e : entries()) {
            if (e.path().equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The content of a regular file listed by {@link #entries}. */
    InputStream open(ImageEntry file) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * The file system of the image at {@code image}, by its magic.
     *
     * @throws IOException when it cannot be read or is neither SquashFS nor EROFS (the message names the file)
     */
    static Format detect(Path image) throws IOException {
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

    /** Opens the image with the reader its magic calls for. */
    static ExtensionImage open(Path image) throws IOException {
        return detect(image) == Format.EROFS ? of(ErofsImage.open(image)) : of(SquashfsImage.open(image));
    }

    /** A view of an open SquashFS image; closing the view closes the image. */
    static ExtensionImage of(SquashfsImage image) {
        return new ExtensionImage() {
            @Override
            public Format format() {
                return Format.SQUASHFS;
            }

            @Override
            public Path path() {
                return image.path();
            }

            @Override
            public List<ImageEntry> entries() throws IOException {
                return image.entries();
            }

            @Override
            public Optional<ImageEntry> lookup(String path) throws IOException {
                return image.lookup(path);
            }

            @Override
            public InputStream open(ImageEntry file) throws IOException {
                return image.open(file);
            }

            @Override
            public void close() throws IOException {
                image.close();
            }
        };
    }

    /** A view of an open EROFS image; closing it closes the image. */
    static ExtensionImage of(ErofsImage image) {
        return new ExtensionImage() {
            @Override
            public Format format() {
                return Format.EROFS;
            }

            @Override
            public Path path() {
                return image.path();
            }

            @Override
            public List<ImageEntry> entries() throws IOException {
                return image.entries();
            }

            @Override
            public Optional<ImageEntry> lookup(String path) throws IOException {
                return image.lookup(path);
            }

            @Override
            public InputStream open(ImageEntry file) throws IOException {
                return image.open(file);
            }

            @Override
            public void close() throws IOException {
                image.close();
            }
        };
    }
}
