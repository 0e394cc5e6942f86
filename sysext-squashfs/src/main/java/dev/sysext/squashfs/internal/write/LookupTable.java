package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a lookup table (fragment, export, id): the entries in metadata blocks, then the
 * uncompressed array of the blocks' image offsets that the superblock points at.
 */
final class LookupTable {
    private LookupTable() {
    }

    /** Appends the table and returns the offset of its location array. */
    static long write(ImageOutput out, BlockProcessor processor, byte[] entries) throws IOException {
        MetadataPipeline metadata = new MetadataPipeline(processor);
        MetadataPipeline.Table blocks = metadata.newTable();
        blocks.write(entries, 0, entries.length);
        metadata.finish();
        long base = out.position();
        out.append(blocks.bytes());
        return appendLocations(out, base, blocks.blockStarts());
    }

    /** Appends u64 locations {@code base + start} and returns where they begin. */
    static long appendLocations(ImageOutput out, long base, List<Long> starts) throws IOException {
        long at = out.position();
        ByteBuffer b = ByteBuffer.allocate(starts.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long s : starts) {
            b.putLong(base + s);
        }
        out.append(b.array());
        return at;
    }
}
