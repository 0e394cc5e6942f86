package dev.sysext.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A seeded, reproducible file tree for benchmarks: text-like files of mixed sizes (compressible,
 * like binaries and configs) in nested directories.
 */
public final class GeneratedTree {
    private static final String[] WORDS = {"container", "runtime", "sysext", "flatcar", "overlay", "systemd",
        "cgroup", "namespace", "snapshot", "image", "layer", "shim", "\n", "0x7f", "ELF", "{}"};

    private GeneratedTree() {
    }

    /** Writes {@code files} files of up to {@code maxFileSize} bytes under {@code root}; returns the bytes written. */
    public static long write(Path root, long seed, int files, int maxFileSize) throws IOException {
        Random random = new Random(seed);
        long total = 0;
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("d" + random.nextInt(16)).resolve("e" + random.nextInt(8));
            Files.createDirectories(dir);
            int size = random.nextInt(maxFileSize + 1);
            byte[] content = new byte[size];
            int pos = 0;
            while (pos < size) {
                if (random.nextInt(8) == 0) {
                    content[pos++] = (byte) random.nextInt(256);
                } else {
                    byte[] w = WORDS[random.nextInt(WORDS.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    int n = Math.min(w.length, size - pos);
                    System.arraycopy(w, 0, content, pos, n);
                    pos += n;
                }
            }
            Files.write(dir.resolve("f" + i), content);
            total += size;
        }
        return total;
    }
}
