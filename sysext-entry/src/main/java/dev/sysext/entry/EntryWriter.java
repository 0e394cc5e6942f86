package dev.sysext.entry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * What an image writer takes, entry by entry: the shared face of the SquashFS writer and the EROFS
 * writer (sysext-erofs), so that code laying out an image tree need not know the format. The
 * contract of each method (order, when content is read, errors) is the implementing writer's.
 */
public interface EntryWriter {
    /** Adds a directory. */
    void directory(String path, EntryMetadata metadata);

    /** Adds a regular file of exactly {@code size} bytes read from {@code content}. */
    void file(String path, EntryMetadata metadata, InputStream content, long size) throws IOException;

    /** Adds a regular file with the content of {@code source}. */
    void file(String path, EntryMetadata metadata, Path source) throws IOException;

    /** Adds a symbolic link to {@code target}. */
    void symlink(String path, EntryMetadata metadata, String target) throws IOException;

    /** Adds {@code path} as another name of the file already added at {@code target}. */
    void hardLink(String path, String target);
}
