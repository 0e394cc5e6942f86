package dev.sysext.squashfs.writer;

import dev.sysext.squashfs.codec.Codec;
import dev.sysext.squashfs.codec.CodecSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compresses data and fragment blocks, on the calling thread or on worker threads, and hands the
 * results to the {@link BlockWriter} strictly in submission order, so the image is the same for
 * every worker count. At most two blocks per worker are in flight, which bounds memory.
 */
final class BlockProcessor implements AutoCloseable {
    private static final byte[] ZEROS = new byte[1 << 20];

    private final CodecSpec spec;
    private final BlockWriter writer;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Codec> idleCodecs = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();

    private record Pending(BlockJob job, Future<CompressedBlock> result) {
    }

    BlockProcessor(CodecSpec spec, int workers, BlockWriter writer) {
        this.spec = spec;
        this.writer = writer;
        this.maxInFlight = 2 * workers;
        this.pool = workers == 1 ? null : Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "squashfs-compressor");
            t.setDaemon(true);
            return t;
        });
    }

    /** Compresses a block and places it, possibly later; call {@link #drain()} to place all. */
    void submit(BlockJob job) throws IOException {
        if (pool == null) {
            writer.place(job, compress(job));
            return;
        }
        if (inFlight.size() >= maxInFlight) {
            placeOldest();
        }
        inFlight.add(new Pending(job, pool.submit(() -> compress(job))));
    }

    /** Places every submitted block. */
    void drain() throws IOException {
        while (!inFlight.isEmpty()) {
            placeOldest();
        }
    }

    private void placeOldest() throws IOException {
        Pending p = inFlight.remove();
        CompressedBlock block;
        try {
            block = p.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
        writer.place(p.job(), block);
    }

    private CompressedBlock compress(BlockJob job) {
        byte[] data = job.data();
        int len = job.length();
        if (!job.fragment() && isZero(data, len)) {
            return CompressedBlock.SPARSE;
        }
        Codec codec = idleCodecs.poll();
        if (codec == null) {
            codec = spec.newCodec();
        }
        try {
            byte[] out = new byte[len];
            int n = codec.compress(data, 0, len, out);
            return n > 0 ? new CompressedBlock(out, n, n) : CompressedBlock.raw(data, len);
        } finally {
            idleCodecs.add(codec);
        }
    }

    static boolean isZero(byte[] data, int len) {
        for (int off = 0; off < len; off += ZEROS.length) {
            int n = Math.min(ZEROS.length, len - off);
            if (Arrays.mismatch(data, off, off + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (Pending p : inFlight) {
            p.result().cancel(true);
        }
        inFlight.clear();
        if (pool == null || awaitQuietly()) {
            Codec c;
            while ((c = idleCodecs.poll()) != null) {
                c.close();
            }
        }
    }

    private boolean awaitQuietly() {
        try {
            return pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
