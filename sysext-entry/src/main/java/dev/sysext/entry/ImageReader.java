package dev.sysext.entry;

import dev.sysext.entry.internal.tree.TreeExtractor;
import dev.sysext.entry.internal.tree.UnsquashfsListing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * An image opened for reading, whatever its file system: its entries and the content of its
 * files. The SquashFS reader ({@code dev.sysext.squashfs.SquashfsImage}) and the EROFS reader
 * ({@code dev.sysext.erofs.ErofsImage}) implement it, so that checks, comparisons, listings and
 * extraction written against it work on both. Each reader states its own limits (what it does not
 * read yet) and its thread-safety; streams opened from an image stop working when it is closed.
 *
 * <pre>{@code
 * try (ImageReader image = SquashfsImage.open(path)) {
 *     for (ImageEntry e : image.entries()) {
 *         if (e.isFile()) {
 *             try (InputStream in = image.open(e)) {
 *                 ...
 *             }
 *         }
 *     }
 * }
 * }</pre>
 */
public interface ImageReader extends AutoCloseable {
    /** Where the image was opened from. */
    Path path();

    /**
     * Every entry, the root ({@code ""}) first, parents before their children, each directory's
     * entries in the order the image stores them (byte order of their names).
     */
    List<ImageEntry> entries() throws IOException;

    /**
     * The entry at {@code path} ({@code /}-separated, relative to the root, {@code ""} for the
     * root), or empty when there is none. Symlinks are not followed. By default a search of
     * {@link #entries()}.
     */
    default Optional<ImageEntry> lookup(String path) throws IOException {
        for (ImageEntry e : entries()) {
            if (e.path().equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The content of a regular file listed by {@link #entries()}, decoded as it is read.
     *
     * @throws IllegalArgumentException when the entry is not a regular file
     * @throws IOException when the image cannot be read; damage found while reading shows as an
     *     {@code IOException} from the stream's {@code read}
     */
    InputStream open(ImageEntry file) throws IOException;

    /**
     * Writes a listing in the format of {@code unsquashfs -lln}: one line per entry in
     * {@link #entries()} order, paths under {@code rootName} (unsquashfs uses
     * {@code squashfs-root}), times in {@code zone}. The same tree gives the same lines in either
     * format, except where the formats store different facts (directory sizes).
     */
    default void list(Appendable out, String rootName, ZoneId zone) throws IOException {
        UnsquashfsListing listing = new UnsquashfsListing(rootName, zone);
        for (ImageEntry e : entries()) {
            out.append(listing.line(e)).append('\n');
        }
    }

    /**
     * Extracts the tree into {@code dest}, which must be missing or empty unless
     * {@link ImageExtractOptions#force()}: content (holes kept), modes, mtimes, symlinks, hard links,
     * FIFOs and sockets, and as the options say {@code user.*} xattrs, owners and device nodes.
     * Names that would leave {@code dest} are refused; existing symlinks are replaced, never
     * followed. Directory metadata is set last, so read-only directories can be extracted.
     *
     * @return what was written, and what could not be restored
     */
    default ImageExtractReport extract(Path dest, ImageExtractOptions options) throws IOException {
        return new TreeExtractor(this, options, dest).extract();
    }

    /** Closes the image file. */
    @Override
    void close() throws IOException;
}
