package dev.sysext.erofs;

import dev.sysext.erofs.internal.ImageBuilder;
import dev.sysext.entry.DirectorySource;
import dev.sysext.entry.EntryMetadata;
import dev.sysext.entry.EntryWriter;
import dev.sysext.entry.TarSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an EROFS image that the Linux kernel mounts ({@code mount -t erofs}) and
 * {@code fsck.erofs} accepts: 4 KiB blocks, compact inodes where the entry allows (32 bytes; an
 * extended 64-byte inode for owners above 65535, sizes from 4 GiB, or an mtime other than the
 * build time), name-sorted directory blocks, tails of files, symlinks and directories packed after
 * their inode (FLAT_INLINE), xattrs inline or, when more than {@link ErofsOptions#xattrTolerance()}
 * inodes carry the same one, once in the shared xattr area, hard links as one inode. With lz4 or lz4hc, regular
 * files larger than one block are compressed into physical clusters of up to the cluster size
 * (legacy full lcluster indexes, big physical clusters, zero padding: the layout the kernel
 * decompresses in place); clusters that would not save a block are stored plain, and a file's
 * last extent is packed after its inode when it fits (ztailpacking).
 *
 * <p>Entries arrive one by one in any order, by relative path with {@code /} separators (a leading
 * {@code ./} is ignored; absolute paths, {@code ..} and names over 255 bytes are refused). Missing
 * parent directories are created 0755 root:root with the build time, and take their own metadata
 * when their entry arrives; the root is {@code ""}. Names are stored as UTF-8 and sorted by their
 * bytes, so the metadata does not depend on arrival order; file content is laid out in arrival
 * order.
 *
 * <p>Content is copied into the image when its entry is added, whole blocks straight into the
 * image and the tail (under 4 KiB) into a spool file beside it; memory grows with the number of
 * entries only. The image is written to a temporary file beside {@code image} and moved into place
 * by {@link #finish()}; {@link #close()} without a successful {@code finish()} deletes it.
 *
 * <pre>{@code
 * try (ErofsWriter w = ErofsWriter.create(image, ErofsOptions.of(0))) {
 *     w.addTree(Path.of("rootfs"));
 *     w.finish();
 * }
 * }</pre>
 *
 * <p>Compressed files are cut into segments of 4 MiB that worker threads compress
 * ({@link ErofsOptions#threads()}); segments are written in the order they were read, so the
 * image is byte-for-byte the same for any thread count. Not thread-safe: one thread adds the
 * entries.
 */
public final class ErofsWriter implements EntryWriter, AutoCloseable {
    private final ImageBuilder builder;
    private final ErofsOptions options;

    private ErofsWriter(ImageBuilder builder, ErofsOptions options) {
        this.builder = builder;
        this.options = options;
    }

    /**
     * Starts writing an image to {@code image} (created or replaced on {@link #finish()}).
     *
     */
    public static ErofsWriter create(Path image, ErofsOptions options) throws IOException {
        return new ErofsWriter(new ImageBuilder(image, options.mkfsTime(), options.uuid(), options.compression(), options.threads(),
                options.xattrTolerance()), options);
    }

    /** Adds a directory, or sets the metadata of one that exists already (also the root, {@code ""}). */
    public void directory(String path, EntryMetadata m) {
        builder.directory(path, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m));
    }

    /** Adds a regular file, copying {@code size} bytes of {@code content} into the image now. */
    public void file(String path, EntryMetadata m, InputStream content, long size) throws IOException {
        builder.file(path, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), content, size);
    }

    /** Adds a regular file with the content of {@code source}, read now. */
    public void file(String path, EntryMetadata m, Path source) throws IOException {
        long size = Files.size(source);
        try (InputStream in = Files.newInputStream(source)) {
            file(path, m, in, size);
        }
    }

    /** Adds a symbolic link to {@code target} (1 to 4095 bytes as UTF-8). */
    public void symlink(String path, EntryMetadata m, String target) throws IOException {
        builder.symlink(path, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), target);
    }

    /** Adds another name for the file, symlink or special file at {@code target}. */
    public void hardLink(String path, String target) {
        builder.hardLink(path, target);
    }

    /** Adds a character device. */
    public void charDevice(String path, EntryMetadata m, int major, int minor) {
        builder.special(path, 0020000, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), major, minor);
    }

    /** Adds a block device. */
    public void blockDevice(String path, EntryMetadata m, int major, int minor) {
        builder.special(path, 0060000, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), major, minor);
    }

    /** Adds a named pipe. */
    public void fifo(String path, EntryMetadata m) {
        builder.special(path, 0010000, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), 0, 0);
    }

    /** Adds a socket. */
    public void socket(String path, EntryMetadata m) {
        builder.special(path, 0140000, m.permissions(), uid(m), gid(m), mtime(m), xattrs(m), 0, 0);
    }

    /**
     * Adds every entry under the directory {@code root} (and the root's own metadata) with
     * {@link DirectorySource}: walked in name-byte order, symlinks not followed, hard links detected
     * by device and inode number, {@code user.*} xattrs when the options keep xattrs. Linux only.
     *
     * @throws IOException when the tree cannot be read; the message names the path
     */
    public void addTree(Path root) throws IOException {
        DirectorySource.addTree(this, root, options.xattrs());
    }

    /**
     * Adds every entry of a tar archive with {@link TarSource}: plain, gzip, xz or zstd compressed,
     * with PAX {@code SCHILY.xattr.*} attributes when the options keep xattrs.
     *
     * @throws IOException when the archive cannot be read or an entry is refused; the message names both
     */
    public void addTar(Path archive) throws IOException {
        TarSource.addArchive(this, archive, options.xattrs());
    }

    /** Writes the directories, inodes and superblock and moves the image into place. */
    public void finish() throws IOException {
        builder.finish();
    }

    /** Deletes the temporary image unless {@link #finish()} succeeded. */
    @Override
    public void close() throws IOException {
        builder.close();
    }

    private long uid(EntryMetadata m) {
        return options.allRoot() ? 0 : m.uid();
    }

    private long gid(EntryMetadata m) {
        return options.allRoot() ? 0 : m.gid();
    }

    private long mtime(EntryMetadata m) {
        return options.fixedInodeTime().orElse(m.mtime());
    }

    private Map<String, byte[]> xattrs(EntryMetadata m) {
        return options.xattrs() ? m.xattrs() : Map.of();
    }
}
