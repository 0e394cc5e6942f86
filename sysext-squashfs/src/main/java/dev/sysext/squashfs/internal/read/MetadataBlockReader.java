package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and decompresses metadata blocks, keeping the most recently used ones in a bounded cache. */
final class MetadataBlockReader {
    /** 64 blocks of 8 KiB: enough for a directory walk to revisit inode blocks cheaply. */
    private static final int CACHE_BLOCKS = 64;

    private final ImageChannel image;
    private final CodecPool codecs;
    private final Map<Long, MetadataBlock> cache = new LinkedHashMap<>(CACHE_BLOCKS * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, MetadataBlock> eldest) {
            return size() > CACHE_BLOCKS;
        }
    };

    public MetadataBlockReader(ImageChannel image, CodecPool codecs) {
        this.image = image;
        this.codecs = codecs;
    }

    /** The block starting at absolute offset {@code pos}, which must lie, with its payload, inside {@code area}. */
    public MetadataBlock read(TableArea area, long pos) throws IOException {
        synchronized (cache) {
            MetadataBlock b = cache.get(pos);
            if (b != null) {
                return b;
            }
        }
        MetadataBlock b = load(area, pos);
        synchronized (cache) {
            cache.put(pos, b);
        }
        return b;
    }

    private MetadataBlock load(TableArea area, long pos) throws IOException {
        String where = area.name() + ": metadata block at offset " + pos;
        if (pos < area.start() || pos > area.end() - 2) {
            throw new SquashfsFormatException(where + " lies outside the table (" + area.start() + ".." + area.end() + ")");
        }
        byte[] header = image.read(pos, 2, where);
        int word = (header[0] & 0xFF) | (header[1] & 0xFF) << 8;
        boolean raw = (word & Layout.METADATA_UNCOMPRESSED) != 0;
        int size = word & ~Layout.METADATA_UNCOMPRESSED;
        if (size == 0 || size > Layout.METADATA_BLOCK_SIZE) {
            throw new SquashfsFormatException(where + " has a stored size of " + size + " bytes (expected 1.."
                    + Layout.METADATA_BLOCK_SIZE + ")");
        }
        if (pos + 2 + size > area.end()) {
            throw new SquashfsFormatException(where + ": its " + size + " bytes run past the end of the table at " + area.end());
        }
        byte[] stored = image.read(pos + 2, size, where);
        if (raw) {
            return new MetadataBlock(pos, stored, size, pos + 2 + size);
        }
        byte[] out = new byte[Layout.METADATA_BLOCK_SIZE];
        int n;
        try {
            n = codecs.decompress(stored, 0, size, out, out.length);
        } catch (SquashfsFormatException e) {
            throw new SquashfsFormatException(where + ": " + e.getMessage(), e);
        }
        if (n <= 0) {
            throw new SquashfsFormatException(where + " decompresses to nothing");
        }
        return new MetadataBlock(pos, out, n, pos + 2 + size);
    }
}
