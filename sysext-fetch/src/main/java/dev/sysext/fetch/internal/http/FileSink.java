package dev.sysext.fetch.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A body written to a file the caller owns (a temporary file, renamed by the caller when verified). */
public final class FileSink implements BodySink {
    private final FileChannel channel;

    /** Appends to {@code channel}, which must be open for writing at its end. */
    public FileSink(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void reset() throws IOException {
        channel.truncate(0);
        channel.position(0);
    }
}
