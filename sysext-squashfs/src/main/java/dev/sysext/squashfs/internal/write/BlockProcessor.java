package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.internal.format.Layout;
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
 * Compresses data and fragment blocks on worker threads and hands the results to the
 * {@link BlockWriter} strictly in submission order, so the image is the same for
 * every worker count; it also compresses the {@link MetadataPipeline}'s blocks. At most two data
 * blocks per worker are in flight, which bounds memory; block
 * buffers are recycled once their block is in the image, so the heap does not churn per block.
 */
final class BlockProcessor implements AutoCloseable {
    private static final byte[] ZEROS = new byte[1 << 20];

    private final CompressorConfig compressor;
    private final BlockWriter writer;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Codec> idleCodecs = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final int bufferSize;
    // Never larger than the number of buffers in use at once: a few per worker.
    private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    /** Per thread: where a metadata block is compressed before it is cut to size. */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[Layout.METADATA_BLOCK_SIZE]);

    private record Pending(BlockJob job, Future<CompressedBlock> result) {
    }

    BlockProcessor(CompressorConfig compressor, int blockSize, int workers, BlockWriter writer) {
        this.compressor = compressor;
        this.bufferSize = blockSize;
        this.writer = writer;
        this.maxInFlight = 2 * workers;
        // One worker is a thread too, as one mksquashfs "processor" is: the calling thread reads and
        // writes while it compresses.
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "squashfs-compressor");
            t.setDaemon(true);
            return t;
        });
    }

    /** A block-sized buffer for a job's data; it comes back to the pool once the block is placed. */
    byte[] buffer() {
        byte[] b = buffers.poll();
        return b != null ? b : new byte[bufferSize];
    }

    /** Returns a buffer that is no longer used (other arrays are left to the garbage collector). */
    void recycle(byte[] b) {
        if (b.length == bufferSize) {
            buffers.add(b);
        }
    }

    /** Compresses a block and places it, possibly later; call {@link #drain()} to place all. */
    void submit(BlockJob job) throws IOException {
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
        place(p.job(), await(p.result()));
    }

    /** The result of a compression task; its failure is rethrown as it was thrown on the worker. */
    static <T> T await(Future<T> result) throws IOException {
        try {
            return result.get();
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
    }

    private void place(BlockJob job, CompressedBlock block) throws IOException {
        writer.place(job, block);
        if (block.bytes() != job.data()) {
            recycle(block.bytes());
        }
        recycle(job.data());
    }

    /**
     * Compresses one metadata block on a worker: the result is the block as it goes into its table,
     * a 2-byte header and the compressed or, when that is not smaller, the plain bytes. The caller
     * must not touch {@code block} until the future is done.
     */
    Future<byte[]> compressMetadata(byte[] block, int len) {
        return pool.submit(() -> packMetadata(block, len));
    }

    private byte[] packMetadata(byte[] block, int len) {
        Codec codec = idleCodecs.poll();
        if (codec == null) {
            codec = Codec.create(compressor);
        }
        try {
            byte[] packed = new byte[2 + len];
            byte[] out = scratch.get();
            int n = codec.compress(block, 0, len, out);
            int header;
            if (n > 0) {
                System.arraycopy(out, 0, packed, 2, n);
                header = n;
            } else {
                System.arraycopy(block, 0, packed, 2, len);
                header = len | Layout.METADATA_UNCOMPRESSED;
                n = len;
            }
            packed[0] = (byte) header;
            packed[1] = (byte) (header >>> 8);
            return n + 2 == packed.length ? packed : Arrays.copyOf(packed, n + 2);
        } finally {
            idleCodecs.add(codec);
        }
    }

    private CompressedBlock compress(BlockJob job) {
        byte[] data = job.data();
        int len = job.length();
        if (!job.fragment() && isZero(data, len)) {
            return CompressedBlock.SPARSE;
        }
        Codec codec = idleCodecs.poll();
        if (codec == null) {
            codec = Codec.create(compressor);
        }
        try {
            byte[] out = buffer();
            int n = codec.compress(data, 0, len, out);
            if (n > 0) {
                return new CompressedBlock(out, n, n);
            }
            recycle(out);
            return CompressedBlock.raw(data, len);
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
        pool.shutdownNow();
        for (Pending p : inFlight) {
            p.result().cancel(true);
        }
        inFlight.clear();
        if (awaitQuietly()) {
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
