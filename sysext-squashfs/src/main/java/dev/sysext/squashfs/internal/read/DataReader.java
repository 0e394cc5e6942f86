package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads data blocks and fragment blocks, decompressing them into block-sized buffers. */
final class DataReader {
    /** Decoded fragment blocks kept: small files share them, so extraction reuses each many times. */
    private static final int FRAGMENT_CACHE = 4;

    private final ImageChannel image;
    private final CodecPool codecs;
    private final FragmentTable fragments;
    private final int blockSize;
    private final long dataStart;
    private final long dataEnd;
    private final Map<Long, byte[]> fragmentCache = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > FRAGMENT_CACHE;
        }
    };

    /** Data and fragment blocks lie in {@code [dataStart, dataEnd)}: after the compressor options, before the inode table. */
    public DataReader(ImageChannel image, CodecPool codecs, FragmentTable fragments, int blockSize, long dataStart,
            long dataEnd) {
        this.dataStart = dataStart;
        this.image = image;
        this.codecs = codecs;
        this.fragments = fragments;
        this.blockSize = blockSize;
        this.dataEnd = dataEnd;
    }

    public int blockSize() {
        return blockSize;
    }

    public long dataEnd() {
        return dataEnd;
    }

    /**
     * Reads the block stored at {@code pos} with size word {@code word} into {@code out}, which must
     * then hold exactly {@code expected} bytes. {@code scratch} holds the stored bytes (block size long).
     */
    public void readBlock(long pos, int word, int expected, byte[] out, byte[] scratch, String what) throws IOException {
        int stored = word & Layout.DATA_SIZE_MASK;
        if (stored == 0) {
            Arrays.fill(out, 0, expected, (byte) 0);
            return;
        }
        if ((word & ~(Layout.DATA_SIZE_MASK | Layout.DATA_UNCOMPRESSED)) != 0 || stored > blockSize) {
            throw new SquashfsFormatException(what + ": size word 0x" + Integer.toHexString(word)
                    + " (stored size must be at most " + blockSize + ")");
        }
        if (pos < dataStart || pos > dataEnd - stored) {
            throw new SquashfsFormatException(what + ": " + stored + " bytes at offset " + pos
                    + " lie outside the data area (" + dataStart + ".." + dataEnd + ")");
        }
        if ((word & Layout.DATA_UNCOMPRESSED) != 0) {
            if (stored != expected) {
                throw new SquashfsFormatException(what + ": uncompressed block of " + stored + " bytes, expected " + expected);
            }
            image.read(pos, out, 0, stored, what);
            return;
        }
        image.read(pos, scratch, 0, stored, what);
        int n;
        try {
            n = codecs.decompress(scratch, 0, stored, out, blockSize);
        } catch (SquashfsFormatException e) {
            throw new SquashfsFormatException(what + " at offset " + pos + ": " + e.getMessage(), e);
        }
        if (n != expected) {
            throw new SquashfsFormatException(what + " at offset " + pos + ": decompressed to " + n + " bytes, expected "
                    + expected);
        }
    }

    /** The decoded fragment block {@code index}; shared, must not be modified. Returns it with its length. */
    public byte[] fragment(long index, int needed, String owner) throws IOException {
        synchronized (fragmentCache) {
            byte[] b = fragmentCache.get(index);
            if (b != null) {
                checkTail(b, needed, index, owner);
                return b;
            }
        }
        FragmentTable.Entry e = fragments.entry(index);
        byte[] scratch = new byte[blockSize];
        byte[] out = new byte[blockSize];
        String what = "fragment block " + index;
        int stored = e.storedSize();
        image.read(e.start(), scratch, 0, stored, what);
        int n;
        if (!e.compressed()) {
            System.arraycopy(scratch, 0, out, 0, stored);
            n = stored;
        } else {
            try {
                n = codecs.decompress(scratch, 0, stored, out, blockSize);
            } catch (SquashfsFormatException ex) {
                throw new SquashfsFormatException(what + " at offset " + e.start() + ": " + ex.getMessage(), ex);
            }
        }
        byte[] b = Arrays.copyOf(out, n);
        checkTail(b, needed, index, owner);
        synchronized (fragmentCache) {
            fragmentCache.put(index, b);
        }
        return b;
    }

    private static void checkTail(byte[] block, int needed, long index, String owner) throws SquashfsFormatException {
        if (needed > block.length) {
            throw new SquashfsFormatException(owner + ": tail ends at byte " + needed + " of fragment block " + index
                    + ", which holds only " + block.length + " bytes");
        }
    }
}
