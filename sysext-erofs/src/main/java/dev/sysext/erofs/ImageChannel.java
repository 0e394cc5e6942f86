package dev.sysext.erofs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** The image file for the reader's parts: bounded reads that name what they read when they fail. */
final class ImageChannel {
    static final int BLOCK = 4096;

    private final FileChannel channel;
    private final String name;
    private final long size;

    ImageChannel(FileChannel channel, String name) throws IOException {
        this.channel = channel;
        this.name = name;
        this.size = channel.size();
    }

    String name() {
        return name;
    }

    long size() {
        return size;
    }

    /** A format error whose message starts with the image's name. */
    ErofsFormatException error(String problem) {
        return new ErofsFormatException(name + ": " + problem);
    }

    /** {@code len} little-endian bytes from {@code pos}; an error naming {@code what} when they are not all in the image. */
    ByteBuffer readAt(long pos, int len, String what) throws IOException {
        checkBounds(pos, len, what); // before allocating len bytes
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        fill(b, pos, what);
        return b.flip();
    }

    /** Reads into {@code dst} (same bounds check as {@link #readAt}). */
    void readInto(long pos, byte[] dst, int off, int len, String what) throws IOException {
        checkBounds(pos, len, what);
        fill(ByteBuffer.wrap(dst, off, len), pos, what);
    }

    private void checkBounds(long pos, int len, String what) throws ErofsFormatException {
        if (pos < 0 || len < 0 || pos > size || len > size - pos) {
            throw error(what + " at offset " + pos + " (" + len + " bytes) lies beyond the image's end at " + size);
        }
    }

    /** Reads {@code b}'s remaining bytes from {@code pos}; a short file (changed since opened) is an error. */
    private void fill(ByteBuffer b, long pos, String what) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = channel.read(b, p);
            if (r < 0) {
                throw error(what + " at offset " + pos + ": the image ended");
            }
            p += r;
        }
    }
}
