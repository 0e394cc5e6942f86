package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;

/**
 * Reads a byte stream that starts at a metadata reference and runs on through the following blocks
 * of the same table. Blocks only ever move forward and stay inside the table, so a corrupt chain
 * ends in an exception, never a loop.
 */
final class MetadataCursor {
    private final MetadataBlockReader blocks;
    private final TableArea area;
    private MetadataBlock block;
    private int offset;

    /** A cursor at {@code blockStart} (relative to the table) and {@code offset} in that block's payload. */
    public MetadataCursor(MetadataBlockReader blocks, TableArea area, long blockStart, int offset) throws IOException {
        this.blocks = blocks;
        this.area = area;
        if (blockStart < 0 || blockStart >= area.end() - area.start()) {
            throw new SquashfsFormatException(area.name() + ": reference to block " + blockStart
                    + " lies outside the table (" + (area.end() - area.start()) + " bytes)");
        }
        this.block = blocks.read(area, area.start() + blockStart);
        boolean atEndOfFullBlock = offset == block.length() && block.length() == Layout.METADATA_BLOCK_SIZE;
        if (offset < 0 || offset >= block.length() && !atEndOfFullBlock) {
            throw new SquashfsFormatException(area.name() + ": offset " + offset + " is past the end of the "
                    + block.length() + "-byte block at " + block.position());
        }
        this.offset = offset;
    }

    /** A cursor at a metadata reference ({@code block << 16 | offset}). */
    public static MetadataCursor at(MetadataBlockReader blocks, TableArea area, long ref) throws IOException {
        return new MetadataCursor(blocks, area, Layout.refBlock(ref), Layout.refOffset(ref));
    }

    public TableArea area() {
        return area;
    }

    /** The absolute position of the current block, and the offset in it: enough to come back later. */
    public long blockPosition() {
        return block.position();
    }

    public int offset() {
        return offset;
    }

    /** A cursor at an absolute block position and offset previously taken from another cursor. */
    public static MetadataCursor resume(MetadataBlockReader blocks, TableArea area, long blockPosition, int offset)
            throws IOException {
        return new MetadataCursor(blocks, area, blockPosition - area.start(), offset);
    }

    /** Where the cursor is, for error messages. */
    public String position() {
        return area.name() + " block " + (block.position() - area.start()) + " offset " + offset;
    }

    public void readFully(byte[] dst, int off, int len) throws IOException {
        while (len > 0) {
            if (offset == block.length()) {
                advance();
            }
            int n = Math.min(len, block.length() - offset);
            System.arraycopy(block.data(), offset, dst, off, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    public void skip(long len) throws IOException {
        while (len > 0) {
            if (offset == block.length()) {
                advance();
            }
            int n = (int) Math.min(len, block.length() - offset);
            offset += n;
            len -= n;
        }
    }

    private void advance() throws IOException {
        if (block.length() != Layout.METADATA_BLOCK_SIZE) {
            // Only the last block of a table may be short; reading on means the entry claims more bytes than exist.
            throw new SquashfsFormatException(area.name() + ": entry runs past the short (" + block.length()
                    + "-byte) block at " + block.position());
        }
        if (block.next() >= area.end()) {
            throw new SquashfsFormatException(area.name() + ": entry runs past the end of the table at " + area.end());
        }
        block = blocks.read(area, block.next());
        offset = 0;
    }

    public int u8() throws IOException {
        if (offset == block.length()) {
            advance();
        }
        return block.data()[offset++] & 0xFF;
    }

    public int u16() throws IOException {
        return u8() | u8() << 8;
    }

    public short s16() throws IOException {
        return (short) u16();
    }

    public long u32() throws IOException {
        return Integer.toUnsignedLong(u8() | u8() << 8 | u8() << 16 | u8() << 24);
    }

    public int i32() throws IOException {
        return (int) u32();
    }

    public long u64() throws IOException {
        return u32() | u32() << 32;
    }

    /** Reads {@code len} bytes; a length above {@code max} is a format error, so it never sizes an allocation. */
    public byte[] bytes(long len, int max, String what) throws IOException {
        if (len < 0 || len > max) {
            throw new SquashfsFormatException(what + ": length " + len + " at " + position()
                    + " is outside 0.." + max);
        }
        byte[] b = new byte[(int) len];
        readFully(b, 0, b.length);
        return b;
    }
}
