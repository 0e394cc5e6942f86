package dev.sysext.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
     * {@code java -cp benchmarks.jar dev.sysext.benchmarks.GeneratedTree DIR FILES MAX_SIZE [SEED]
     * [--per-dir N] [--repeat-every K]}: writes a tree for benchmarks/compare.sh (its small-file
     * case: 100,000 files of up to 480 bytes). Without {@code --per-dir} the files are spread over
     * 128 nested directories at random; with it they fill directories of N files in turn
     * ({@code --per-dir 0}: all in DIR itself). With {@code --repeat-every K} every K-th file is
     * {@code x} repeated 0 to MAX_SIZE - 1 times, so many files share few contents (like the empty
     * {@code __init__.py} and repeated licences of real trees).
     */
    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        int perDir = -1;
        int repeatEvery = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--per-dir" -> perDir = Integer.parseInt(args[++i]);
                case "--repeat-every" -> repeatEvery = Integer.parseInt(args[++i]);
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() < 3 || positional.size() > 4) {
            System.err.println("usage: GeneratedTree DIR FILES MAX_SIZE [SEED] [--per-dir N] [--repeat-every K]");
            System.exit(2);
        }
        Path root = Path.of(positional.get(0));
        long seed = positional.size() == 4 ? Long.parseLong(positional.get(3)) : 1;
        int files = Integer.parseInt(positional.get(1));
        int maxSize = Integer.parseInt(positional.get(2));
        long bytes = perDir < 0 && repeatEvery == 0 ? write(root, seed, files, maxSize)
                : writeFlat(root, seed, files, maxSize, perDir, repeatEvery);
        System.out.println(root + ": " + files + " files, " + bytes + " bytes");
    }

    /**
     * Writes {@code files} files of up to {@code maxFileSize} bytes in directories of
     * {@code perDir} files ({@code d0/f0} ...; 0: all in {@code root}); every
     * {@code repeatEvery}-th file (0: none) is {@code x} repeated 0 to {@code maxFileSize - 1}
     * times. Returns the bytes written.
     */
    public static long writeFlat(Path root, long seed, int files, int maxFileSize, int perDir, int repeatEvery)
            throws IOException {
        Random random = new Random(seed);
        long total = 0;
        Files.createDirectories(root);
        Path dir = root;
        for (int i = 0; i < files; i++) {
            if (perDir > 0 && i % perDir == 0) {
                dir = Files.createDirectories(root.resolve("d" + i / perDir));
            }
            byte[] content;
            if (repeatEvery > 0 && i % repeatEvery == 0) {
                content = new byte[random.nextInt(maxFileSize)];
                Arrays.fill(content, (byte) 'x');
            } else {
                content = content(random, random.nextInt(maxFileSize + 1));
            }
            Files.write(dir.resolve("f" + i), content);
            total += content.length;
        }
        return total;
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
