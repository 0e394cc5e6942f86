package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
    private final CRC32C crc = new CRC32C();

    /** Null without deduplication. */
    private final TailIndex tails;
    private final PlacedBlockReader reader;
    /** Null without deduplication. Bounded by {@link #CACHE_BYTES}, so memory does not grow with the data. */
    private final BlockCache cache;

    FragmentTable(int blockSize, BlockProcessor processor, PlacedBlockReader reader) {
        this.blockSize = blockSize;
        this.processor = processor;
        this.buffer = processor.buffer();
        this.reader = reader;
        this.tails = reader == null ? null : new TailIndex();
        this.cache = reader == null ? null : new BlockCache(Math.max(2, CACHE_BYTES / blockSize));
    }

    /** At most this many bytes of uncompressed fragment blocks are kept for comparisons. */
    private static final int CACHE_BYTES = 4 << 20;

    /** Appends a tail to the current fragment block (or finds it stored) and records where in {@code file}. */
    void add(byte[] data, int len, FileData file) throws IOException {
        long key = 0;
        if (tails != null) {
            crc.reset();
            crc.update(data, 0, len);
            key = ((long) len << 32) | crc.getValue();
            // Candidates with one key hold different bytes (an equal tail is never added), so at
            // most one matches, whatever order they are tried in.
            for (int slot = tails.first(key); slot >= 0; slot = tails.next(slot, key)) {
                long c = tails.value(slot);
                int index = (int) (c >>> 32);
                int offset = (int) c;
                if (holds(index, offset, data, len)) {
                    file.fragmentIndex = index;
                    file.fragmentOffset = offset;
                    return;
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
        if (tails != null) {
            tails.add(key, ((long) file.fragmentIndex << 32) | file.fragmentOffset);
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
     * Stored tails by length and CRC-32C: (fragment index, offset) pairs in two arrays with open
     * addressing, some 32 bytes a tail where a map of lists took about 130 (one tail per small
     * file of a tree). Equal keys take successive slots; nothing is removed.
     */
    private static final class TailIndex {
        private static final long FREE = -1;
        private long[] keys = new long[1 << 10];
        private long[] values = new long[1 << 10];
        private int size;

        TailIndex() {
            Arrays.fill(keys, FREE);
        }

        /** The first slot holding {@code key}, or -1. */
        int first(long key) {
            return scan(slotOf(key, keys.length), key);
        }

        /** The next slot after {@code slot} holding {@code key}, or -1. */
        int next(int slot, long key) {
            return scan((slot + 1) & (keys.length - 1), key);
        }

        long value(int slot) {
            return values[slot];
        }

        void add(long key, long value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            put(keys, values, key, value);
            size++;
        }

        private int scan(int from, long key) {
            int mask = keys.length - 1;
            for (int i = from; keys[i] != FREE; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return i;
                }
            }
            return -1;
        }

        private void grow() {
            long[] k = new long[keys.length * 2];
            long[] v = new long[values.length * 2];
            Arrays.fill(k, FREE);
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != FREE) {
                    put(k, v, keys[i], values[i]);
                }
            }
            keys = k;
            values = v;
        }

        private static void put(long[] k, long[] v, long key, long value) {
            int mask = k.length - 1;
            int i = slotOf(key, k.length);
            while (k[i] != FREE) {
                i = (i + 1) & mask;
            }
            k[i] = key;
            v[i] = value;
        }

        private static int slotOf(long key, int length) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & (length - 1);
        }
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
