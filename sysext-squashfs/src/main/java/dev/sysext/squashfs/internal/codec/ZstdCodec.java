package dev.sysext.squashfs.internal.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;

/** Single zstd frames per block, like mksquashfs' ZSTD_compressCCtx. */
final class ZstdCodec implements Codec {
    private final ZstdCompressCtx compressor = new ZstdCompressCtx();
    private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();

    ZstdCodec(int level) {
        compressor.setLevel(level);
    }

    @Override
    public Compression compression() {
        return Compression.ZSTD;
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
        try {
            int n = compressor.compressByteArray(dst, 0, len, src, off, len);
            return n < len ? n : -1;
        } catch (ZstdException e) {
            if (e.getErrorCode() == Zstd.errDstSizeTooSmall()) {
                return -1;
            }
            throw e;
        }
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException {
        try {
            return decompressor.decompressByteArray(dst, 0, dstMax, src, off, len);
        } catch (ZstdException e) {
            throw new SquashfsFormatException("corrupt zstd frame of " + len + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        compressor.close();
        decompressor.close();
    }
}
