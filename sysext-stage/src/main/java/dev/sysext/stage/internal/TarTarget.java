package dev.sysext.stage.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@link TarStaging} puts an archive's entries: the image tree's checked add operations, so
 * that the tar reader does not depend on the tree (nor the tree on it, beyond this interface).
 */
public interface TarTarget {
    /** Adds a directory (and its parents). */
    void directory(String path) throws IOException;

    /** Adds a symbolic link to {@code target}. */
    void symlink(String path, String target) throws IOException;

    /** Adds {@code path} as another name of the file at {@code target}, added before. */
    void hardLink(String path, String target) throws IOException;

    /** Adds a file with {@code size} bytes read from {@code content} now. */
    void file(String path, boolean executable, InputStream content, long size) throws IOException;
}
