package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Packs small files and tail ends into shared fragment blocks, sends each full block through the
 * {@link BlockProcessor}, and keeps the fragment table entries (start, size word) for the image.
 * With deduplication a tail equal to an earlier one points at the earlier copy: length and CRC-32C
 * find candidates, and the candidate's bytes, read back from the image if need be, decide.
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
    private final byte[] readBack;
    private int readBackIndex = -1;

    FragmentTable(int blockSize, BlockProcessor processor, PlacedBlockReader reader) {
        this.blockSize = blockSize;
        this.processor = processor;
        this.buffer = processor.buffer();
        this.reader = reader;
        this.tails = reader == null ? null : new HashMap<>();
        this.readBack = reader == null ? null : new byte[blockSize];
    }

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
            if (index != readBackIndex) {
                long[] entry = entries.get(index);
                if (entry[1] == NOT_PLACED) {
                    processor.drain();
                }
                readBackIndex = -1;
                if (!reader.read(entry[0], (int) entry[1], (int) entry[2], readBack)) {
                    return false;
                }
                readBackIndex = index;
            }
            block = readBack;
        }
        return Arrays.equals(block, offset, offset + len, data, 0, len);
    }

    /** Sends the partly filled current block on its way. */
    void flush() throws IOException {
        if (fill == 0) {
            return;
        }
        long[] entry = {0, NOT_PLACED, fill};
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
