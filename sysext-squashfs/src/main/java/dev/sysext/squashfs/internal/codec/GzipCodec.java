package dev.sysext.squashfs.internal.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib streams (header and Adler-32 included), as the kernel's zlib wrapper expects. */
final class GzipCodec implements Codec {
    private final Deflater deflater;
    private final Inflater inflater = new Inflater();

    private static final int STRATEGY_FILTERED = 0x0002;
    private static final int STRATEGY_HUFFMAN_ONLY = 0x0004;

    /** {@code strategies}: the bits as mksquashfs stores them; one strategy is used, not each tried. */
    GzipCodec(int level, int strategies) {
        deflater = new Deflater(level);
        deflater.setStrategy(deflaterStrategy(strategies));
    }

    private static int deflaterStrategy(int strategies) {
        if ((strategies & STRATEGY_HUFFMAN_ONLY) != 0) {
            return Deflater.HUFFMAN_ONLY;
        }
        if ((strategies & STRATEGY_FILTERED) != 0) {
            return Deflater.FILTERED;
        }
        return Deflater.DEFAULT_STRATEGY;
    }

    @Override
    public Compression compression() {
        return Compression.GZIP;
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
        deflater.reset();
        deflater.setInput(src, off, len);
        deflater.finish();
        int n = deflater.deflate(dst, 0, len);
        return deflater.finished() && n < len ? n : -1;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException {
        inflater.reset();
        inflater.setInput(src, off, len);
        try {
            int n = inflater.inflate(dst, 0, dstMax);
            if (!inflater.finished()) {
                throw new SquashfsFormatException(inflater.needsInput()
                        ? "zlib stream of " + len + " bytes is truncated"
                        : "zlib stream expands past " + dstMax + " bytes");
            }
            return n;
        } catch (DataFormatException e) {
            throw new SquashfsFormatException("corrupt zlib stream: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }
}
