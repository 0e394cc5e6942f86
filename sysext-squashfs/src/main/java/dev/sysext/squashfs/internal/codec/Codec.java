package dev.sysext.squashfs.internal.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.SquashfsFormatException;

/**
 * One thread's compressor and decompressor for one algorithm and setting. Instances keep native or
 * window state between calls, so they are reused per thread and never shared between threads.
 */
public interface Codec extends AutoCloseable {

    /** A new codec for one thread, compressing with {@code config}'s settings. */
    static Codec create(CompressorConfig config) {
        if (config instanceof CompressorConfig.Gzip g) {
            return new GzipCodec(g.level(), g.strategies());
        } else if (config instanceof CompressorConfig.Xz x) {
            return new XzCodec(x.dictionarySize(), x.filters());
        } else if (config instanceof CompressorConfig.Zstd z) {
            return new ZstdCodec(z.level());
        } else if (config instanceof CompressorConfig.Lz4 l) {
            return new Lz4Codec(l.highCompression());
        }
        throw new IllegalArgumentException(config.toString());
    }

    Compression compression();

    /**
     * Compresses {@code src[off, off+len)} into {@code dst} (at least {@code len} bytes long).
     *
     * @return the compressed length, or -1 when compression would not make the data smaller and the
     *     caller must store it raw
     */
    int compress(byte[] src, int off, int len, byte[] dst);

    /**
     * Decompresses {@code src[off, off+len)} into {@code dst[0, dstMax)}.
     *
     * @return the number of bytes produced
     * @throws SquashfsFormatException when the input is corrupt or expands past {@code dstMax}
     */
    int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException;

    @Override
    void close();
}
