package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs a metadata table (lookup entries, xattrs) into 8 KiB metadata blocks,
 * each compressed when that makes it smaller, held in memory until the table is placed in the
 * image. Positions are uncompressed byte offsets; {@link #ref(long)} turns one into an on-disk
 * reference once the block it lies in has a known start.
 */
final class MetadataWriter {
    private final Codec codec;
    private final ByteArrayOutputStream table = new ByteArrayOutputStream();
    private final List<Long> blockStarts = new ArrayList<>();
    private final byte[] block = new byte[Layout.METADATA_BLOCK_SIZE];
    private final byte[] packed = new byte[Layout.METADATA_BLOCK_SIZE];
    private int fill;
    private long flushedBytes;

    MetadataWriter(Codec codec) {
        this.codec = codec;
    }

    /** The uncompressed offset the next byte goes to. */
    long position() {
        return flushedBytes + fill;
    }

    /**
     * The reference of an uncompressed position: the start of its block relative to the table,
     * shifted left 16, or-ed with the offset in the block. Valid for every position up to
     * {@link #position()}.
     */
    long ref(long position) {
        int blockIndex = (int) (position / Layout.METADATA_BLOCK_SIZE);
        long start = blockIndex < blockStarts.size() ? blockStarts.get(blockIndex) : table.size();
        if (blockIndex > blockStarts.size()) {
            throw new IllegalArgumentException("position " + position + " is past the table");
        }
        return Layout.metadataRef(start, (int) (position % Layout.METADATA_BLOCK_SIZE));
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, block.length - fill);
            System.arraycopy(bytes, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == block.length) {
                flushBlock();
            }
        }
    }

    /** Writes out a partly filled last block. */
    void finish() {
        if (fill > 0) {
            flushBlock();
        }
    }

    /** The compressed table; call {@link #finish()} first. */
    byte[] bytes() {
        return table.toByteArray();
    }

    /** Starts of the compressed blocks, relative to the table. */
    List<Long> blockStarts() {
        return List.copyOf(blockStarts);
    }

    private void flushBlock() {
        blockStarts.add((long) table.size());
        int n = codec.compress(block, 0, fill, packed);
        if (n > 0) {
            writeHeader(n);
            table.write(packed, 0, n);
        } else {
            writeHeader(fill | Layout.METADATA_UNCOMPRESSED);
            table.write(block, 0, fill);
        }
        flushedBytes += fill;
        fill = 0;
    }

    private void writeHeader(int header) {
        table.write(header & 0xFF);
        table.write(header >>> 8 & 0xFF);
    }
}
