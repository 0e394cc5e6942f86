package dev.sysext.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Full data blocks as a SquashFS writer compresses them, cut from real files or generated, so that
 * codec benchmarks see realistic input instead of one repeated buffer.
 */
public final class BlockSample {

    private BlockSample() {
    }

    /** The regular files directly in {@code dir} (symbolic links excluded), sorted by name. */
    public static List<Path> regularFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /**
     * Cuts up to {@code maxBlocks} full blocks from {@code files}: files shorter than a block are
     * skipped, the rest are visited with a stride that spreads the sample over the whole list, and
     * each gives at most {@code perFile} blocks evenly spaced through it (a binary's start is all
     * headers, its middle is code and data). The same files give the same blocks.
     */
    public static List<byte[]> fromFiles(List<Path> files, int blockSize, int perFile, int maxBlocks)
            throws IOException {
        if (blockSize <= 0 || perFile <= 0 || maxBlocks <= 0) {
            throw new IllegalArgumentException("block size, blocks per file and block count must be positive");
        }
        List<Path> candidates = new ArrayList<>();
        for (Path f : files) {
            if (Files.size(f) >= blockSize) {
                candidates.add(f);
            }
        }
        int wantFiles = (maxBlocks + perFile - 1) / perFile;
        int stride = Math.max(1, candidates.size() / wantFiles);
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < candidates.size() && blocks.size() < maxBlocks; i += stride) {
            try (FileChannel ch = FileChannel.open(candidates.get(i), StandardOpenOption.READ)) {
                long full = ch.size() / blockSize;
                int take = (int) Math.min(full, Math.min(perFile, maxBlocks - blocks.size()));
                for (int j = 0; j < take; j++) {
                    long index = j * full / take;
                    blocks.add(read(ch, index * blockSize, blockSize, candidates.get(i)));
                }
            }
        }
        return blocks;
    }

    /** {@code count} blocks of {@link GeneratedTree} content from {@code seed}. */
    public static List<byte[]> generated(long seed, int blockSize, int count) {
        Random random = new Random(seed);
        List<byte[]> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(GeneratedTree.content(random, blockSize));
        }
        return blocks;
    }

    private static byte[] read(FileChannel ch, long position, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException(file + ": shrank while being read");
            }
        }
        return buf.array();
    }
}
