package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The image file being written: appends at a tracked position and patches the superblock at the end. */
final class ImageOutput {
    private final FileChannel channel;
    private final WriteBehind writeBehind;
    private long position;

    ImageOutput(FileChannel channel) {
        this(channel, new WriteBehind(channel));
    }

    ImageOutput(FileChannel channel, WriteBehind writeBehind) {
        this.channel = channel;
        this.writeBehind = writeBehind;
    }

    long position() {
        return position;
    }

    void append(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
        writeBehind.written(position);
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
        channel.truncate(position);
    }

    /** Makes everything written durable: waits for the background flushes, then forces the file. */
    void force() throws IOException {
        writeBehind.finish();
        channel.force(true);
    }

    /** Stops background flushing, for an image that is being discarded. */
    void abandon() {
        writeBehind.stop();
    }

    void writeAt(long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long p = at;
        while (b.hasRemaining()) {
            p += channel.write(b, p);
        }
    }
}
