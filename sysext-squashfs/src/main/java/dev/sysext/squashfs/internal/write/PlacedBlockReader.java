package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a data or fragment block back from the image being written and decompresses it, so that a
 * duplicate candidate found by checksum can be confirmed byte by byte against what is stored.
 * Runs on the thread that adds entries.
 */
final class PlacedBlockReader {
    private final ImageOutput out;
    private final Codec codec;
    private final byte[] stored;

    PlacedBlockReader(ImageOutput out, Codec codec, int blockSize) {
        this.out = out;
        this.codec = codec;
        this.stored = new byte[blockSize];
    }

    /**
     * Fills {@code dst[0, length)} with the content of the block at {@code location}.
     *
     * @return false when the stored block does not hold exactly {@code length} bytes
     */
    boolean read(long location, int sizeWord, int length, byte[] dst) throws IOException {
        if (sizeWord == 0) {
            Arrays.fill(dst, 0, length, (byte) 0);
            return true;
        }
        int size = sizeWord & Layout.DATA_SIZE_MASK;
        if (size > stored.length) {
            return false;
        }
        if ((sizeWord & Layout.DATA_UNCOMPRESSED) != 0) {
            out.read(location, dst, size);
            return size == length;
        }
        out.read(location, stored, size);
        return codec.decompress(stored, 0, size, dst, dst.length) == length;
    }
}
