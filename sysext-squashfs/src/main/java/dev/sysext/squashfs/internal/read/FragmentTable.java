package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;

/** Fragment entries, read on demand: where each fragment block is and how it is stored. */
final class FragmentTable {
    /** A fragment block: {@code start} in the image, {@code sizeWord} as stored (bit 24 = uncompressed). */
    public record Entry(long start, int sizeWord) {
        public int storedSize() {
            return sizeWord & Layout.DATA_SIZE_MASK;
        }

        public boolean compressed() {
            return (sizeWord & Layout.DATA_UNCOMPRESSED) == 0;
        }
    }

    private final LookupTable table;
    private final int blockSize;
    private final long dataStart;
    private final long dataEnd;

    /** Fragment blocks lie in {@code [dataStart, dataEnd)}: after the compressor options, before the inode table. */
    public FragmentTable(LookupTable table, int blockSize, long dataStart, long dataEnd) {
        this.table = table;
        this.dataStart = dataStart;
        this.blockSize = blockSize;
        this.dataEnd = dataEnd;
    }

    public long count() {
        return table == null ? 0 : table.count();
    }

    public Entry entry(long index) throws IOException {
        if (table == null || index < 0 || index >= table.count()) {
            throw new SquashfsFormatException("fragment table: fragment " + index + " does not exist ("
                    + count() + " fragments)");
        }
        MetadataCursor c = table.entry(index);
        long start = c.u64();
        int size = c.i32();
        c.u32(); // unused
        int stored = size & Layout.DATA_SIZE_MASK;
        if ((size & ~(Layout.DATA_SIZE_MASK | Layout.DATA_UNCOMPRESSED)) != 0 || stored == 0 || stored > blockSize) {
            throw new SquashfsFormatException("fragment table: fragment " + index + " has size word 0x"
                    + Integer.toHexString(size) + " (stored size must be 1.." + blockSize + ")");
        }
        if (start < dataStart || start > dataEnd - stored) {
            throw new SquashfsFormatException("fragment table: fragment " + index + " at offset "
                    + Long.toUnsignedString(start) + " (+" + stored + " bytes) lies outside the data area (" + dataStart + ".." + dataEnd + ")");
        }
        return new Entry(start, size);
    }
}
