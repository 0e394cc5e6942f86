package dev.sysext.sysupdate;

import dev.sysext.sysupdate.internal.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A generated file: where it goes relative to an output directory, its content and its mode.
 *
 * @param relativePath a relative path such as {@code containerd.conf}
 * @param mode         permissions in {@code rwxr-xr-x} form
 */
public record OutputFile(String relativePath, byte[] content, String mode) {
    /** Permissions of ordinary generated files. */
    public static final String PUBLIC = "rw-r--r--";
    /** Permissions of secret keys. */
    public static final String SECRET = "rw-------";

    /** Copies the content; refuses absolute paths and paths that climb out with {@code ..}. */
    public OutputFile {
        Objects.requireNonNull(relativePath, "relativePath");
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.contains("..")) {
            throw new IllegalArgumentException("not a plain relative path: " + relativePath);
        }
        content = content.clone();
    }

    /** A text file in UTF-8 with mode {@link #PUBLIC}. */
    public static OutputFile text(String relativePath, String text) {
        return new OutputFile(relativePath, text.getBytes(StandardCharsets.UTF_8), PUBLIC);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputFile f && f.relativePath.equals(relativePath) && f.mode.equals(mode)
                && java.util.Arrays.equals(f.content, content);
    }

    @Override
    public int hashCode() {
        return (relativePath.hashCode() * 31 + mode.hashCode()) * 31 + java.util.Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return relativePath + " (" + content.length + " bytes, " + mode + ")";
    }

    /** The content as UTF-8 text. */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * Writes the file under {@code dir} (creating parent directories) through a temporary file
     * renamed into place; returns its path.
     */
    public Path writeInto(Path dir) throws IOException {
        Path target = dir.resolve(relativePath);
        Files.createDirectories(target.getParent());
        AtomicFile.write(target, content, mode);
        return target;
    }
}
