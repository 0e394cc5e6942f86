package dev.sysext.squashfs.writer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The image file being written: appends at a tracked position and patches the superblock at the end. */
final class ImageOutput {
    private final FileChannel channel;
    private long position;

    ImageOutput(FileChannel channel) {
        this.channel = channel;
    }

    long position() {
        return position;
    }

    void append(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, off, len);
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }

    void append(byte[] bytes) throws IOException {
        append(bytes, 0, bytes.length);
    }

    void writeAt(long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long p = at;
        while (b.hasRemaining()) {
            p += channel.write(b, p);
        }
    }
}
