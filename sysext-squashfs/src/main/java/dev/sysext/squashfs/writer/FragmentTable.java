package dev.sysext.squashfs.writer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs small files and tail ends into shared fragment blocks, sends each full block through the
 * {@link BlockProcessor}, and keeps the fragment table entries (start, size word) for the image.
 */
final class FragmentTable {
    private final int blockSize;
    private final BlockProcessor processor;
    private final List<long[]> entries = new ArrayList<>();
    private byte[] buffer;
    private int fill;

    FragmentTable(int blockSize, BlockProcessor processor) {
        this.blockSize = blockSize;
        this.processor = processor;
        this.buffer = new byte[blockSize];
    }

    /** Appends a tail to the current fragment block and records where it went in {@code file}. */
    void add(byte[] data, int len, FileData file) throws IOException {
        if (fill + len > blockSize) {
            flush();
        }
        System.arraycopy(data, 0, buffer, fill, len);
        file.fragmentIndex = entries.size();
        file.fragmentOffset = fill;
        fill += len;
    }

    /** Sends the partly filled current block on its way. */
    void flush() throws IOException {
        if (fill == 0) {
            return;
        }
        long[] entry = new long[2];
        entries.add(entry);
        byte[] block = buffer;
        int len = fill;
        buffer = new byte[blockSize];
        fill = 0;
        processor.submit(new BlockJob(block, len, true, (location, sizeWord) -> {
            entry[0] = location;
            entry[1] = sizeWord;
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
