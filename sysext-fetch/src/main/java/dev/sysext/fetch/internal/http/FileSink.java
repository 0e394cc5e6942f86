package dev.sysext.fetch.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * A body written to a file the caller owns (a temporary file, renamed by the caller when verified).
 * A failed write (a full disk says only "No space left on device") names the file.
 *
 * <p>It can hash the file as it is written, so that verifying a download needs no second pass over
 * it. The digests then always cover the file from byte 0 to its end: the part an earlier run left
 * (read back from the file, once, before the first new byte), then every byte appended; a
 * {@link #reset()} starts them over with the file.
 */
public final class FileSink implements BodySink {
    private final FileChannel channel;
    private final Path file;
    private final List<MessageDigest> digests;
    /** Whether the bytes the file held when this sink was made are still to be hashed. */
    private boolean prefixPending;

    /** Appends to {@code channel}, open for writing at its end on {@code file} (named in errors). */
    public FileSink(FileChannel channel, Path file) throws IOException {
        this(channel, file, List.of());
    }

    /**
     * As {@link #FileSink(FileChannel, Path)}, updating each of {@code digests} (fresh ones) with the
     * whole content of the file: what it holds already, then what is written.
     */
    public FileSink(FileChannel channel, Path file, List<MessageDigest> digests) throws IOException {
        this.channel = channel;
        this.file = file;
        this.digests = List.copyOf(digests);
        this.prefixPending = !digests.isEmpty() && channel.position() > 0;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
        ByteBuffer hashed = digests.isEmpty() ? null : buffer.duplicate();
        try {
            hashPrefix();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw named(e);
        }
        if (hashed != null) {
            for (MessageDigest d : digests) {
                d.update(hashed.duplicate());
            }
        }
    }

    /**
     * Completes the digests: hashes what the file held before, if nothing was written since (a
     * download that was already whole). Call once the body is complete, before reading the digests.
     */
    public void finishDigests() throws IOException {
        try {
            hashPrefix();
        } catch (IOException e) {
            throw named(e);
        }
    }

    /** Hashes the bytes the file held when the sink was made, read back from it, once. */
    private void hashPrefix() throws IOException {
        if (!prefixPending) {
            return;
        }
        prefixPending = false;
        long end = channel.position();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel in = FileChannel.open(file)) {
            for (long at = 0; at < end; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - at));
                int n = in.read(buf, at);
                if (n < 0) {
                    throw new java.io.EOFException(file + ": ends at byte " + at + " of " + end + " while hashing it");
                }
                at += n;
                buf.flip();
                for (MessageDigest d : digests) {
                    d.update(buf.duplicate());
                }
            }
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
            prefixPending = false;
            for (MessageDigest d : digests) {
                d.reset();
            }
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
