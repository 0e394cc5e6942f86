package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Packs small files and tail ends into shared fragment blocks, sends each full block through the
 * {@link BlockProcessor}, and keeps the fragment table entries (start, size word) for the image.
 * With deduplication a tail equal to an earlier one points at the earlier copy: length and CRC-32C
 * find candidates, and the candidate's bytes decide. Those bytes come from a small cache of
 * uncompressed fragment blocks (the most recently written or read), and only on a miss from the
 * image: trees with many small duplicates (empty {@code __init__.py}, repeated licences) find
 * their candidates in a few early blocks, and reading one of those back and decompressing it for
 * every duplicate made deduplication cost a decompression per file, and a drain of the workers
 * whenever the candidate's block was still being compressed.
 */
final class FragmentTable {
    private static final long NOT_PLACED = -1;

    private final int blockSize;
    private final BlockProcessor processor;
    private final List<long[]> entries = new ArrayList<>();
    private byte[] buffer;
    private int fill;

    /** Null without deduplication. */
    private final Map<Long, List<long[]>> tails;
    private final PlacedBlockReader reader;
    /** Null without deduplication. Bounded by {@link #CACHE_BYTES}, so memory does not grow with the data. */
    private final BlockCache cache;

    FragmentTable(int blockSize, BlockProcessor processor, PlacedBlockReader reader) {
        this.blockSize = blockSize;
        this.processor = processor;
        this.buffer = processor.buffer();
        this.reader = reader;
        this.tails = reader == null ? null : new HashMap<>();
        this.cache = reader == null ? null : new BlockCache(Math.max(2, CACHE_BYTES / blockSize));
    }

    /** At most this many bytes of uncompressed fragment blocks are kept for comparisons. */
    private static final int CACHE_BYTES = 4 << 20;

    /** Appends a tail to the current fragment block (or finds it stored) and records where in {@code file}. */
    void add(byte[] data, int len, FileData file) throws IOException {
        Long key = null;
        if (tails != null) {
            CRC32C crc = new CRC32C();
            crc.update(data, 0, len);
            key = ((long) len << 32) | crc.getValue();
            List<long[]> candidates = tails.get(key);
            if (candidates != null) {
                for (long[] c : candidates) {
                    if (holds((int) c[0], (int) c[1], data, len)) {
                        file.fragmentIndex = (int) c[0];
                        file.fragmentOffset = (int) c[1];
                        return;
                    }
                }
            }
        }
        if (fill + len > blockSize) {
            flush();
        }
        System.arraycopy(data, 0, buffer, fill, len);
        file.fragmentIndex = entries.size();
        file.fragmentOffset = fill;
        fill += len;
        if (key != null) {
            tails.computeIfAbsent(key, k -> new ArrayList<>(1)).add(new long[] {file.fragmentIndex, file.fragmentOffset});
        }
    }

    /** Whether fragment {@code index} holds {@code data[0, len)} at {@code offset}. */
    boolean holds(int index, int offset, byte[] data, int len) throws IOException {
        byte[] block;
        if (index == entries.size()) {
            block = buffer;
        } else {
            block = cache.get(index);
            if (block == null) {
                long[] entry = entries.get(index);
                if (entry[1] == NOT_PLACED) {
                    processor.drain();
                }
                block = cache.take();
                if (!reader.read(entry[0], (int) entry[1], (int) entry[2], block)) {
                    cache.giveBack(block);
                    return false;
                }
                cache.put(index, block);
            }
        }
        return Arrays.equals(block, offset, offset + len, data, 0, len);
    }

    /** Sends the partly filled current block on its way. */
    void flush() throws IOException {
        if (fill == 0) {
            return;
        }
        long[] entry = {0, NOT_PLACED, fill};
        if (cache != null) {
            // A copy now saves reading the block back (and waiting for its compression) later.
            byte[] copy = cache.take();
            System.arraycopy(buffer, 0, copy, 0, fill);
            cache.put(entries.size(), copy);
        }
        entries.add(entry);
        byte[] block = buffer;
        int len = fill;
        buffer = processor.buffer();
        fill = 0;
        processor.submit(new BlockJob(block, len, true, (location, sizeWord) -> {
            entry[0] = location;
            entry[1] = sizeWord & 0xFFFFFFFFL;
        }));
    }

    /**
     * The uncompressed content of recent fragment blocks by index, least recently used dropped
     * first; dropped arrays are reused, so a long run makes no garbage here.
     */
    private final class BlockCache {
        private final int capacity;
        private final Deque<byte[]> spare = new ArrayDeque<>();
        private final LinkedHashMap<Integer, byte[]> blocks;

        BlockCache(int capacity) {
            this.capacity = capacity;
            this.blocks = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
                    if (size() > BlockCache.this.capacity) {
                        spare.push(eldest.getValue());
                        return true;
                    }
                    return false;
                }
            };
        }

        byte[] get(int index) {
            return blocks.get(index);
        }

        byte[] take() {
            byte[] b = spare.poll();
            return b != null ? b : new byte[blockSize];
        }

        void giveBack(byte[] block) {
            spare.push(block);
        }

        void put(int index, byte[] block) {
            blocks.put(index, block);
        }
    }

    int count() {
        return entries.size();
    }

    /** The table entries: u64 start, u32 size word, u32 unused. Call after the processor drained. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] e : entries) {
            b.putLong(e[0]).putInt((int) e[1]).putInt(0);
        }
        return b.array();
    }
}
