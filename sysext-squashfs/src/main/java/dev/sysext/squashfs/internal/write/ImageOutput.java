package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The image file being written: appends at a tracked position and patches the superblock at the end.
 * A failed write (a full disk says only "No space left on device") is reported with the file's path.
 */
final class ImageOutput {
    private final FileChannel channel;
    private final WriteBehind writeBehind;
    /** The file, named in write errors; null in tests of the output alone. */
    private final Path file;
    private long position;

    ImageOutput(FileChannel channel, Path file) {
        this(channel, new WriteBehind(channel), file);
    }

    ImageOutput(FileChannel channel, WriteBehind writeBehind) {
        this(channel, writeBehind, null);
    }

    private ImageOutput(FileChannel channel, WriteBehind writeBehind, Path file) {
        this.channel = channel;
        this.writeBehind = writeBehind;
        this.file = file;
    }

    /** {@code e} with the file's path, unless it already names a file. */
    private IOException named(IOException e) {
        if (file == null || e instanceof FileSystemException) {
            return e;
        }
        FileSystemException f = new FileSystemException(file.toString(), null,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        f.initCause(e);
        return f;
    }

    long position() {
        return position;
    }

    void append(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        try {
            while (b.hasRemaining()) {
                position += channel.write(b, position);
            }
            writeBehind.written(position);
        } catch (IOException e) {
            throw named(e);
        }
    }

    void append(byte[] bytes) throws IOException {
        append(bytes, 0, bytes.length);
    }

    /** Reads {@code len} bytes written earlier at {@code at}. */
    void read(long at, byte[] dst, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
        long p = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new java.io.EOFException("image ends at " + p + " while reading back " + len + " bytes at " + at);
            }
            p += n;
        }
    }

    /** Forgets everything appended from {@code at} on (a duplicate's blocks); later appends overwrite it. */
    void rollBack(long at) {
        if (at > position) {
            throw new IllegalArgumentException("cannot roll back from " + position + " to " + at);
        }
        position = at;
    }

    /** Cuts the file at the current position (after a roll back near the end). */
    void truncate() throws IOException {
        try {
            channel.truncate(position);
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** Makes everything written durable: waits for the background flushes, then forces the file. */
    void force() throws IOException {
        try {
            writeBehind.finish();
            channel.force(true);
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** Stops background flushing, for an image that is being discarded. */
    void abandon() {
        writeBehind.stop();
    }

    void writeAt(long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long p = at;
        try {
            while (b.hasRemaining()) {
                p += channel.write(b, p);
            }
        } catch (IOException e) {
            throw named(e);
        }
    }
}
