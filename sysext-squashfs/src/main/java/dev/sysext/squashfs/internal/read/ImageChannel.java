package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional, bounds-checked reads from an image file. Positional reads do not move a shared file
 * pointer, so one instance serves many threads.
 */
final class ImageChannel implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    public ImageChannel(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** Reads exactly {@code len} bytes at {@code pos} into {@code dst[off..]}; {@code what} names the structure for errors. */
    public void read(long pos, byte[] dst, int off, int len, String what) throws IOException {
        if (pos < 0 || len < 0 || pos > size - len) {
            throw new SquashfsFormatException(what + ": " + len + " bytes at offset " + Long.toUnsignedString(pos)
                    + " lie past the end of the image (" + size + " bytes); truncated?");
        }
        ByteBuffer b = ByteBuffer.wrap(dst, off, len);
        long p = pos;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new SquashfsFormatException(what + ": image ended at offset " + p + " while reading; truncated?");
            }
            p += n;
        }
    }

    public byte[] read(long pos, int len, String what) throws IOException {
        // Bounds first, so a hostile length never sizes an allocation.
        if (pos < 0 || len < 0 || pos > size - len) {
            throw new SquashfsFormatException(what + ": " + len + " bytes at offset " + Long.toUnsignedString(pos)
                    + " lie past the end of the image (" + size + " bytes); truncated?");
        }
        byte[] b = new byte[len];
        read(pos, b, 0, len, what);
        return b;
    }

    public ByteBuffer readLittleEndian(long pos, int len, String what) throws IOException {
        return ByteBuffer.wrap(read(pos, len, what)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
