package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A table of fixed-size entries stored in metadata blocks, found through the uncompressed array of
 * u64 block locations the superblock points at (fragment, export, id and xattr id tables).
 */
final class LookupTable {
    private final MetadataBlockReader blocks;
    private final String name;
    private final long count;
    private final int entrySize;
    private final long[] locations;
    private final long metadataEnd;

    /**
     * Reads the location array at {@code arrayStart}. Every location must lie before the array
     * itself and after {@code lowerBound}; locations must increase.
     */
    public LookupTable(ImageChannel image, MetadataBlockReader blocks, String name, long arrayStart, long count,
            int entrySize, long lowerBound) throws IOException {
        this.blocks = blocks;
        this.name = name;
        this.count = count;
        this.entrySize = entrySize;
        this.metadataEnd = arrayStart;
        long blockCount = (count * entrySize + Layout.METADATA_BLOCK_SIZE - 1) / Layout.METADATA_BLOCK_SIZE;
        if (count < 0 || blockCount * 8 > image.size() - arrayStart) {
            throw new SquashfsFormatException(name + ": " + count + " entries need " + blockCount
                    + " block locations at offset " + arrayStart + ", past the end of the image");
        }
        ByteBuffer b = image.readLittleEndian(arrayStart, (int) (blockCount * 8), name + " location array");
        locations = new long[(int) blockCount];
        long previous = lowerBound - 1;
        for (int i = 0; i < locations.length; i++) {
            long loc = b.getLong();
            if (loc <= previous || loc >= arrayStart) {
                throw new SquashfsFormatException(name + ": block location " + i + " is " + Long.toUnsignedString(loc)
                        + ", outside " + (previous + 1) + ".." + arrayStart);
            }
            locations[i] = loc;
            previous = loc;
        }
    }

    public long count() {
        return count;
    }

    /** Where the table's first metadata block starts (the array start for an empty table). */
    public long firstBlock() {
        return locations.length == 0 ? metadataEnd : locations[0];
    }

    /** A cursor at entry {@code index}. */
    public MetadataCursor entry(long index) throws IOException {
        if (index < 0 || index >= count) {
            throw new SquashfsFormatException(name + ": index " + index + " is outside 0.." + (count - 1));
        }
        long byteOffset = index * entrySize;
        int block = (int) (byteOffset / Layout.METADATA_BLOCK_SIZE);
        long start = locations[block];
        long end = block + 1 < locations.length ? locations[block + 1] : metadataEnd;
        TableArea area = new TableArea(name, start, end);
        return new MetadataCursor(blocks, area, 0, (int) (byteOffset % Layout.METADATA_BLOCK_SIZE));
    }
}
