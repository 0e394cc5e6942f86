package dev.sysext.fetch.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A body written to a file the caller owns (a temporary file, renamed by the caller when verified).
 * A failed write (a full disk says only "No space left on device") names the file.
 */
public final class FileSink implements BodySink {
    private final FileChannel channel;
    private final Path file;

    /** Appends to {@code channel}, open for writing at its end on {@code file} (named in errors). */
    public FileSink(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void reset() throws IOException {
        try {
            channel.truncate(0);
            channel.position(0);
        } catch (IOException e) {
            throw named(e);
        }
    }

    private IOException named(IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        FileSystemException f = new FileSystemException(file.toString(), null,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        f.initCause(e);
        return f;
    }
}
