package dev.sysext.squashfs.internal.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** Raw LZ4 blocks (no frame), as the kernel's lz4 wrapper expects. */
final class Lz4Codec implements Codec {
    /** mksquashfs compresses with the highest HC level. */
    static final int HC_LEVEL = 12;
    /**
     * The liblz4 that lz4-java bundles (one version for every platform it ships, and two to three
     * times faster than its Java port) when it loads, else the Java port. The two write different
     * blocks, so lz4 images are byte-identical between machines that use the same implementation:
     * all 64-bit little-endian machines lz4-java ships liblz4 for (amd64, arm64, ppc64le).
     */
    static final LZ4Factory FACTORY = factory();

    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

    Lz4Codec(boolean highCompression) {
        compressor = highCompression ? FACTORY.highCompressor(HC_LEVEL) : FACTORY.fastCompressor();
    }

    private static LZ4Factory factory() {
        try {
            return LZ4Factory.nativeInstance();
        } catch (LinkageError | AssertionError | RuntimeException e) {
            // No liblz4 for this platform, or it cannot be loaded (e.g. a noexec temporary directory).
            return LZ4Factory.fastestJavaInstance();
        }
    }

    /** Whether blocks are compressed by the native liblz4 (rather than the Java port). */
    static boolean isNative() {
        return FACTORY != LZ4Factory.fastestJavaInstance(); // nativeInstance() would throw where it failed
    }

    @Override
    public Compression compression() {
        return Compression.LZ4;
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
        if (len < 2) {
            return -1;
        }
        try {
            return compressor.compress(src, off, len, dst, 0, len - 1);
        } catch (LZ4Exception e) {
            return -1; // did not fit in fewer bytes than the input
        }
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException {
        try {
            return decompressor.decompress(src, off, len, dst, 0, dstMax);
        } catch (LZ4Exception e) {
            throw new SquashfsFormatException("corrupt lz4 block of " + len + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // no state outside the heap
    }
}
