package dev.sysext.squashfs;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.entry.EntryWriter;
import dev.sysext.squashfs.internal.write.ImageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a SquashFS 4.0 image that the Linux kernel, squashfs-tools and squashfs-tools-ng read.
 *
 * <p>Entries arrive one by one in any order, by relative path with {@code /} separators (a leading
 * {@code ./} is ignored; absolute paths and {@code ..} are refused). Missing parent directories are
 * created with {@link EntryMetadata#DEFAULT_DIRECTORY} and take their own metadata when their entry
 * arrives; the root is the path {@code ""} or {@code "."}. Names are stored as UTF-8 and sorted by
 * their bytes, so inode numbers and the layout of the metadata do not depend on arrival order.
 *
 * <p>Content given as an {@link InputStream} is compressed into the image at once, in arrival
 * order, holding at most a few blocks in memory. Content given as a {@link Path} is read when the
 * image is finished, in tree order, so an image built from paths is byte-for-byte the same whatever
 * the order the entries arrived in.
 *
 * <p><b>Nothing is written until {@link #finish()}.</b> The image is written to a temporary file
 * beside {@code image} and moved into place by {@code finish()}; {@link #close()} without a
 * successful {@code finish()} deletes the temporary file and leaves any existing file at
 * {@code image} alone. That is the failure path: when a method of this writer has thrown, or
 * {@code finish()} itself failed, {@code close()} just cleans up. Otherwise a {@code close()}
 * without {@code finish()} is a forgotten {@code finish()}: it still discards the image, and then
 * throws {@link IllegalStateException} so that the missing image cannot go unnoticed. When the
 * caller's own code throws inside try-with-resources, that exception propagates unchanged (with
 * the writer's as a suppressed one). Use it in try-with-resources:
 *
 * <pre>{@code
 * try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
 *     w.directory("usr/bin", EntryMetadata.of(0755, 0, 0, mtime));
 *     w.file("usr/bin/tool", EntryMetadata.of(0755, 0, 0, mtime), Path.of("build/tool"));
 *     w.finish();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread adds the entries.
 */
public final class SquashfsWriter implements EntryWriter, AutoCloseable {
    private final ImageWriter image;
    private final Path target;
    /** A method threw: the caller is on its failure path, and close() cleans up quietly. */
    private boolean failed;
    private boolean finished;
    private boolean closed;

    private SquashfsWriter(ImageWriter image, Path target) {
        this.image = image;
        this.target = target;
    }

    /** Starts writing an image to {@code image} (created or replaced on {@link #finish()}). */
    public static SquashfsWriter create(Path image, WriterOptions options) throws IOException {
        return create(image, options, WriteProgress.NONE);
    }

    /**
     * Starts writing an image to {@code image}, telling {@code progress} how far it has come (see
     * {@link WriteProgress} for when it is called).
     */
    public static SquashfsWriter create(Path image, WriterOptions options, WriteProgress progress) throws IOException {
        return new SquashfsWriter(new ImageWriter(image, options, java.util.Objects.requireNonNull(progress, "progress")),
                image);
    }

    /** Adds a directory, or sets the metadata of one that exists already (also the root, {@code ""}). */
    public void directory(String path, EntryMetadata metadata) {
        try {
            image.directory(path, metadata);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Adds a regular file, reading exactly {@code size} bytes of {@code content} now; the stream is
     * not closed.
     *
     * @throws java.io.EOFException when the stream ends early
     */
    public void file(String path, EntryMetadata metadata, InputStream content, long size) throws IOException {
        try {
            image.file(path, metadata, content, size);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a regular file whose content is read from {@code source} when the image is finished. */
    public void file(String path, EntryMetadata metadata, Path source) throws IOException {
        try {
            if (!Files.isRegularFile(source)) {
                throw new java.nio.file.NoSuchFileException(source.toString(), null, "not a regular file");
            }
            image.file(path, metadata, source);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Adds a regular file that the caller ({@link dev.sysext.entry.DirectorySource}) has just found
     * to be a regular file of {@code size} bytes; its content is read when the image is finished.
     */
    @Override
    public void file(String path, EntryMetadata metadata, Path source, long size) {
        try {
            image.file(path, metadata, source, size);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a symbolic link; the target is stored as given (relative, absolute or dangling). */
    public void symlink(String path, EntryMetadata metadata, String target) {
        try {
            image.symlink(path, metadata, target);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Adds another name for an entry added before ({@code target}, any kind but a directory). The
     * names share one inode, its metadata and its content.
     */
    public void hardLink(String path, String target) {
        try {
            image.hardLink(path, target);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a character device. */
    public void charDevice(String path, EntryMetadata metadata, int major, int minor) {
        try {
            image.device(path, metadata, false, major, minor);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a block device. */
    public void blockDevice(String path, EntryMetadata metadata, int major, int minor) {
        try {
            image.device(path, metadata, true, major, minor);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a named pipe. */
    public void fifo(String path, EntryMetadata metadata) {
        try {
            image.special(path, metadata, false);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /** Adds a Unix domain socket entry. */
    public void socket(String path, EntryMetadata metadata) {
        try {
            image.special(path, metadata, true);
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Marks this writer failed, for the sources that add entries on its behalf: {@link #close()}
     * then discards the image quietly, as after a method of this writer threw.
     */
    @Override
    public void failed() {
        failed = true;
    }

    /**
     * Writes the remaining content, the tables and the superblock and moves the image into place.
     * On failure the temporary file is deleted and the target is left as it was.
     */
    public void finish() throws IOException {
        try {
            image.finish();
        } catch (Throwable e) {
            failed = true;
            throw e;
        }
        finished = true;
    }

    /**
     * Discards the image unless {@link #finish()} completed.
     *
     * @throws IllegalStateException after discarding the image, when neither {@code finish()} was
     *     called nor any method of this writer failed (a forgotten {@code finish()})
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        image.close();
        if (!finished && !failed) {
            throw new IllegalStateException("discarded the unfinished image " + target
                    + ": close() without finish(); call finish() to write the image");
        }
    }
}
