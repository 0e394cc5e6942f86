package dev.sysext.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A seeded, reproducible file tree for benchmarks: text-like files of mixed sizes (compressible,
 * like binaries and configs) in nested directories.
 */
public final class GeneratedTree {
    private static final byte[][] WORDS = words("container", "runtime", "sysext", "flatcar", "overlay", "systemd",
        "cgroup", "namespace", "snapshot", "image", "layer", "shim", "\n", "0x7f", "ELF", "{}");

    private GeneratedTree() {
    }

    /**
     * {@code java -cp benchmarks.jar dev.sysext.benchmarks.GeneratedTree DIR FILES MAX_SIZE [SEED]}:
     * writes a tree for benchmarks/compare.sh (its small-file case: 100,000 files of up to 480
     * bytes).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: GeneratedTree DIR FILES MAX_SIZE [SEED]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        long bytes = write(root, args.length == 4 ? Long.parseLong(args[3]) : 1, Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        System.out.println(root + ": " + args[1] + " files, " + bytes + " bytes");
    }

    /** Writes {@code files} files of up to {@code maxFileSize} bytes under {@code root}; returns the bytes written. */
    public static long write(Path root, long seed, int files, int maxFileSize) throws IOException {
        Random random = new Random(seed);
        long total = 0;
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("d" + random.nextInt(16)).resolve("e" + random.nextInt(8));
            Files.createDirectories(dir);
            int size = random.nextInt(maxFileSize + 1);
            Files.write(dir.resolve("f" + i), content(random, size));
            total += size;
        }
        return total;
    }

    /**
     * {@code size} bytes of the tree's file content: words with one random byte in eight, which
     * compresses about as well as a mix of configs and binaries.
     */
    public static byte[] content(Random random, int size) {
        byte[] content = new byte[size];
        int pos = 0;
        while (pos < size) {
            if (random.nextInt(8) == 0) {
                content[pos++] = (byte) random.nextInt(256);
            } else {
                byte[] w = WORDS[random.nextInt(WORDS.length)];
                int n = Math.min(w.length, size - pos);
                System.arraycopy(w, 0, content, pos, n);
                pos += n;
            }
        }
        return content;
    }

    private static byte[][] words(String... words) {
        byte[][] bytes = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            bytes[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
