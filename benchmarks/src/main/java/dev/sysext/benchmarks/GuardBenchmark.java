package dev.sysext.benchmarks;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriterOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of {@link ThroughputGuard}, on the same data with the same settings: {@link #raw()}
 * compresses every sample block with the compression library alone ({@link Deflater} for gzip,
 * zstd-jni for zstd), spread over {@link #threads} threads; {@link #writer()} writes the same blocks
 * as files into a {@link SquashfsWriter} with as many workers. One operation handles the whole
 * sample, so raw time / writer time is the writer's throughput as a fraction of the codec's.
 * {@link #pair} runs the two back to back and times them apart; the guard runs only that one, the
 * other two are there to look at each half alone ({@code java -jar benchmarks.jar GuardBenchmark}).
 *
 * <p>The blocks are cut from the machine's binaries ({@link #sample()}), distinct and never all
 * zeros, and each file is a whole number of blocks: the writer compresses exactly the blocks the raw
 * half does, with no fragments and nothing deduplicated away. Content reaches the writer as an
 * {@link java.io.InputStream}, as a release tarball's entries do in {@code sysext create}. The image
 * goes to {@code /dev/shm} when there is one (tmpfs: the writer's fsync costs nothing there), else to
 * the temporary directory: the guard compares CPU work, and a disk's speed is no part of that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class GuardBenchmark {
    static final int BLOCK_SIZE = 128 * 1024;
    /** 16 MiB: about 2.3 s of CPU per pass for gzip-9 or zstd-15 on the 2-core machine it was tuned on. */
    static final int MAX_BLOCKS = 128;
    /** Fewer distinct blocks than this and the sample says too little about real payloads. */
    static final int MIN_BLOCKS = 32;
    static final int BLOCKS_PER_FILE = 4;

    /** {@code gzip-9} or {@code zstd-15}. */
    @Param({"gzip-9", "zstd-15"})
    public String codec;

    /** Threads of the raw half; workers of the writer. */
    @Param({"2"})
    public int threads;

    private List<byte[]> blocks;
    /** The blocks joined into the writer's files, made once so that the writer's time is all its own. */
    private List<byte[]> files;
    private ExecutorService pool;
    private ScratchImage scratch;
    private WriterOptions options;

    /**
     * Up to {@value #MAX_BLOCKS} distinct, not all-zero 128 KiB blocks cut from the files of
     * {@code /usr/bin} and of the running JDK's {@code lib/} (two per file, spread through each):
     * code and data that compress as real sysext payloads do. The same machine gives the same blocks.
     *
     * @throws IOException when the machine has fewer than {@value #MIN_BLOCKS} such blocks
     */
    public static List<byte[]> sample() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("/usr/bin"), Path.of(System.getProperty("java.home"), "lib"))) {
            if (Files.isDirectory(dir)) {
                files.addAll(BlockSample.regularFiles(dir));
            }
        }
        Set<ByteBuffer> seen = new HashSet<>();
        List<byte[]> distinct = new ArrayList<>();
        // Cut more than needed: copies of one binary and all-zero blocks are dropped.
        for (byte[] b : BlockSample.fromFiles(files, BLOCK_SIZE, 2, 2 * MAX_BLOCKS)) {
            if (distinct.size() < MAX_BLOCKS && !allZero(b) && seen.add(ByteBuffer.wrap(b))) {
                distinct.add(b);
            }
        }
        if (distinct.size() < MIN_BLOCKS) {
            throw new IOException("/usr/bin and " + System.getProperty("java.home") + "/lib have only "
                    + distinct.size() + " distinct full " + BLOCK_SIZE + "-byte blocks; the guard needs "
                    + MIN_BLOCKS);
        }
        // Whole files only: the writer must see exactly these blocks.
        return distinct.subList(0, distinct.size() - distinct.size() % BLOCKS_PER_FILE);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The writer's options for {@code codec} with {@code threads} workers. */
    static WriterOptions options(String codec, int threads) {
        return switch (codec) {
            case "gzip-9", "zstd-15" -> WriterBenchmark.options(codec, threads);
            default -> throw new IllegalArgumentException("unknown codec setting '" + codec + "' (gzip-9 or zstd-15)");
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        options = options(codec, threads);
        blocks = sample();
        files = new ArrayList<>();
        for (int f = 0; f < blocks.size() / BLOCKS_PER_FILE; f++) {
            byte[] file = new byte[BLOCKS_PER_FILE * BLOCK_SIZE];
            for (int j = 0; j < BLOCKS_PER_FILE; j++) {
                System.arraycopy(blocks.get(f * BLOCKS_PER_FILE + j), 0, file, j * BLOCK_SIZE, BLOCK_SIZE);
            }
            files.add(file);
        }
        pool = Executors.newFixedThreadPool(threads);
        scratch = ScratchImage.inMemory("sysext-guard", "image.sqfs");
        System.out.printf(Locale.ROOT, "%nsample: %d blocks, %.1f MB; image in %s%n",
                blocks.size(), bytes(blocks) / 1e6, scratch.dir());
    }

    static long bytes(List<byte[]> blocks) {
        return (long) blocks.size() * BLOCK_SIZE;
    }

    /** Compresses every block once with the library alone; returns the compressed bytes. */
    @Benchmark
    public long raw() throws InterruptedException, ExecutionException {
        AtomicInteger next = new AtomicInteger();
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> compressShare(next)));
        }
        long total = 0;
        for (Future<Long> f : parts) {
            total += f.get();
        }
        return total;
    }

    /** One thread's share: blocks taken in turn, one compressor per thread as in the writer. */
    private long compressShare(AtomicInteger next) {
        byte[] out = new byte[BLOCK_SIZE];
        long total = 0;
        if (codec.equals("gzip-9")) {
            Deflater deflater = new Deflater(9);
            try {
                for (int i; (i = next.getAndIncrement()) < blocks.size(); ) {
                    byte[] b = blocks.get(i);
                    deflater.reset();
                    deflater.setInput(b);
                    deflater.finish();
                    total += deflater.deflate(out);
                }
            } finally {
                deflater.end();
            }
        } else {
            try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
                zstd.setLevel(15);
                for (int i; (i = next.getAndIncrement()) < blocks.size(); ) {
                    byte[] b = blocks.get(i);
                    total += zstd.compressByteArray(out, 0, out.length, b, 0, b.length);
                }
            }
        }
        return total;
    }

    /**
     * The milliseconds each half took in one measurement iteration (one {@link #pair} operation, or
     * a few): JMH reports them per iteration, and {@link ThroughputGuard} divides them.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PassTimes {
        public double rawMs;
        public double writerMs;
        /** CPU time of the whole JVM during the raw passes. */
        public double rawCpuMs;
        /** CPU time of the whole JVM during the writer passes. */
        public double writerCpuMs;

        @Setup(Level.Iteration)
        public void reset() {
            rawMs = 0;
            writerMs = 0;
            rawCpuMs = 0;
            writerCpuMs = 0;
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private int pairs;

    /**
     * What the guard runs: a raw pass and a writer pass back to back, timed apart, the order swapped
     * every time. On a machine whose load changes (a shared CI runner), both halves of an iteration
     * see the same load, so their ratio holds where two separate benchmarks minutes apart would not.
     * An iteration lasts at least one pair (about a second on 2 cores for gzip-9). The JVM's CPU time
     * is taken too: it says how much work each half did whatever share of the cores it got.
     */
    @Benchmark
    @Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 9, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public long pair(PassTimes t) throws IOException, InterruptedException, ExecutionException {
        long result = 0;
        boolean rawFirst = pairs++ % 2 == 0;
        for (int half = 0; half < 2; half++) {
            boolean isRaw = (half == 0) == rawFirst;
            long cpu = OS.getProcessCpuTime();
            long wall = System.nanoTime();
            result += isRaw ? raw() : writer();
            double ms = (System.nanoTime() - wall) / 1e6;
            double cpuMs = (OS.getProcessCpuTime() - cpu) / 1e6;
            if (isRaw) {
                t.rawMs += ms;
                t.rawCpuMs += cpuMs;
            } else {
                t.writerMs += ms;
                t.writerCpuMs += cpuMs;
            }
        }
        return result;
    }

    /** Writes the blocks as files of {@value #BLOCKS_PER_FILE} blocks into an image; returns its size. */
    @Benchmark
    public long writer() throws IOException {
        EntryMetadata m = EntryMetadata.of(0644, 0, 0, 0);
        try (SquashfsWriter w = SquashfsWriter.create(scratch.image(), options)) {
            for (int f = 0; f < files.size(); f++) {
                byte[] file = files.get(f);
                w.file(String.format(Locale.ROOT, "f%03d", f), m, new ByteArrayInputStream(file), file.length);
            }
            w.finish();
        }
        return scratch.imageSize();
    }

    /** The image the last {@link #writer()} wrote. */
    Path image() {
        return scratch.image();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pool.shutdownNow();
        scratch.delete();
    }
}
