package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.CompressorConfig;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Decompressors for one image. A codec is used by one thread at a time: callers borrow one for a
 * single call, so concurrent readers each get their own and idle ones are reused.
 */
final class CodecPool implements AutoCloseable {
    private final CompressorConfig config;
    private final ConcurrentLinkedDeque<Codec> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public CodecPool(CompressorConfig config) {
        this.config = config;
    }

    public CompressorConfig config() {
        return config;
    }

    /** Decompresses {@code src[off, off+len)} into {@code dst}, producing at most {@code dstMax} bytes. */
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException {
        if (closed) {
            throw new IllegalStateException("the image is closed");
        }
        Codec c = idle.pollFirst();
        if (c == null) {
            c = Codec.create(config);
        }
        try {
            return c.decompress(src, off, len, dst, dstMax);
        } catch (RuntimeException e) {
            // Decoder libraries signal some corrupt inputs with unchecked exceptions.
            throw new SquashfsFormatException("corrupt " + config.compression() + " data: " + e, e);
        } finally {
            idle.offerFirst(c);
            if (closed) {
                close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Codec c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }
}
