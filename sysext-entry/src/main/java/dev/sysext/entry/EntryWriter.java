package dev.sysext.entry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * What an image writer takes, entry by entry: the shared face of the SquashFS writer and the EROFS
 * writer (sysext-erofs), so that code laying out an image tree need not know the format, and so
 * that {@link DirectorySource} and {@link TarSource} feed either. The contract of each method
 * (order, when content is read, errors) is the implementing writer's.
 */
public interface EntryWriter {
    /** Adds a directory. */
    void directory(String path, EntryMetadata metadata);

    /** Adds a regular file of exactly {@code size} bytes read from {@code content}. */
    void file(String path, EntryMetadata metadata, InputStream content, long size) throws IOException;

    /** Adds a regular file with the content of {@code source}. */
    void file(String path, EntryMetadata metadata, Path source) throws IOException;

    /**
     * Adds a regular file with the content of {@code source}, which the caller has just found to be a
     * regular file of {@code size} bytes ({@link DirectorySource} walking a tree), so that the writer
     * need not look at it again. By default the same as {@link #file(String, EntryMetadata, Path)}.
     */
    default void file(String path, EntryMetadata metadata, Path source, long size) throws IOException {
        file(path, metadata, source);
    }

    /** Adds a symbolic link to {@code target}. */
    void symlink(String path, EntryMetadata metadata, String target) throws IOException;

    /** Adds {@code path} as another name of the file already added at {@code target}. */
    void hardLink(String path, String target);

    /** Adds a character device. */
    void charDevice(String path, EntryMetadata metadata, int major, int minor);

    /** Adds a block device. */
    void blockDevice(String path, EntryMetadata metadata, int major, int minor);

    /** Adds a named pipe. */
    void fifo(String path, EntryMetadata metadata);

    /** Adds a Unix domain socket entry. */
    void socket(String path, EntryMetadata metadata);

    /**
     * Tells the writer that a source adding entries on its behalf ({@link DirectorySource},
     * {@link TarSource}) failed: the tree could not be read or the archive was refused. A writer
     * that treats a {@code close()} without {@code finish()} as a forgotten {@code finish()} (the
     * SquashFS writer) then knows it is on the failure path and cleans up quietly. By default
     * nothing.
     */
    default void failed() {
    }
}
