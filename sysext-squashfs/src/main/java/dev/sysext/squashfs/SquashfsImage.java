package dev.sysext.squashfs;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageReader;
import dev.sysext.entry.ImageVisitor;
import dev.sysext.squashfs.internal.read.ImageStructure;
import dev.sysext.squashfs.internal.read.ImageVerifier;
import dev.sysext.squashfs.internal.read.TreeWalker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SquashFS 4.0 image opened for reading (gzip, xz, zstd and lz4 images); as an
 * {@link ImageReader}, it is read like an EROFS image by format-neutral code.
 *
 * <p>The reader treats the image as hostile: every offset, length and count is checked against
 * the image before it is used, and any inconsistency raises a {@link SquashfsFormatException}
 * naming the structure and position. Memory stays bounded by the block size and the number of
 * entries, never by what the image claims.
 *
 * <p>All methods may be called from several threads at once; a content stream belongs to the
 * thread that reads it. Close the image when done; streams opened from it stop working then.
 */
public final class SquashfsImage implements ImageReader {
    private final ImageStructure structure;

    private SquashfsImage(ImageStructure structure) {
        this.structure = structure;
    }

    /**
     * Opens an image and checks its superblock, compressor options and table layout.
     *
     * @throws SquashfsFormatException when the file is not a readable SquashFS 4.0 image
     * @throws IOException when the file cannot be read
     */
    public static SquashfsImage open(Path image) throws IOException {
        return new SquashfsImage(ImageStructure.open(image));
    }

    /** The image file. */
    @Override
    public Path path() {
        return structure.path();
    }

    /** Superblock-level facts: compressor and settings, block size, flags, counts, sizes. */
    public ImageInfo info() {
        return structure.info();
    }

    /** The root directory. */
    public ImageEntry root() throws IOException {
        return new TreeWalker(structure, true).toEntry("", structure.root());
    }

    /**
     * Visits every entry depth-first, parents before children, each directory's entries in the
     * order they are stored (byte order of their names). Xattrs are included.
     */
    public void walk(ImageVisitor visitor) throws IOException {
        new TreeWalker(structure, true).walk(visitor);
    }

    /** Like {@link #walk(ImageVisitor)}; with {@code xattrs} false, xattrs are neither read nor reported. */
    public void walk(ImageVisitor visitor, boolean xattrs) throws IOException {
        new TreeWalker(structure, xattrs).walk(visitor);
    }

    /** All entries, in {@link #walk(ImageVisitor)} order. */
    @Override
    public List<ImageEntry> entries() throws IOException {
        List<ImageEntry> all = new ArrayList<>();
        walk(all::add);
        return all;
    }

    /**
     * The entry at {@code path} ({@code /}-separated, relative to the root; a leading slash is
     * ignored; {@code ""} is the root), or empty when there is none. Symlinks are not followed.
     * Reads only the directories on the way.
     */
    @Override
    public Optional<ImageEntry> lookup(String path) throws IOException {
        return new TreeWalker(structure, true).lookup(path);
    }

    /**
     * The content of a regular file, decoded block by block as it is read.
     *
     * @throws IllegalArgumentException when the entry is not a regular file
     */
    @Override
    public InputStream open(ImageEntry file) throws IOException {
        if (file.type() != ImageEntryType.FILE) {
            throw new IllegalArgumentException(file.path() + " is a " + file.type() + ", not a regular file");
        }
        return structure.openFile(file.inodeReference(), file.path());
    }

    /**
     * Reads every structure of the image (all inodes, listings, data blocks, fragments, xattrs, the
     * id and export tables) and checks them against each other.
     *
     * @throws SquashfsFormatException describing the first problem found
     */
    public void verify() throws IOException {
        new ImageVerifier(structure).verify();
    }

    @Override
    public void close() throws IOException {
        structure.close();
    }
}
