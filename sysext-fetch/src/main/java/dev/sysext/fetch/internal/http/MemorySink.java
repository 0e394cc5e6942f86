package dev.sysext.fetch.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A body kept in memory: API pages, checksum files, signatures, keyrings. */
public final class MemorySink implements BodySink {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Override
    public void write(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.get(b);
        out.writeBytes(b);
    }

    @Override
    public long size() {
        return out.size();
    }

    @Override
    public void reset() {
        out.reset();
    }

    /** The bytes received. */
    public byte[] bytes() {
        return out.toByteArray();
    }
}
