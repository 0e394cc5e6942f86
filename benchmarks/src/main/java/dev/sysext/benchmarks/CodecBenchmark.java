package dev.sysext.benchmarks;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.codec.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 * Compression and decompression of one 128 KiB data block per operation, per codec setting, on
 * blocks cut from the machine's own binaries ({@code /usr/bin}) or on generated text-like data.
 * The {@code mbps} counter is the codec's speed in MB/s (10^6 bytes of uncompressed data per second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class CodecBenchmark {

    static final int BLOCK_SIZE = 128 * 1024;
    private static final Path BINARIES = Path.of("/usr/bin");

    @Param({"gzip-9", "gzip-6", "zstd-15", "xz", "lz4", "lz4-hc"})
    public String codec;

    /** {@code binaries}: blocks of /usr/bin files; {@code text}: {@link GeneratedTree} content. */
    @Param({"binaries", "text"})
    public String data;

    private byte[][] blocks;
    private byte[][] compressed;
    private int[] compressedLength;
    private Codec coder;
    private byte[] out;
    private int next;

    /** Uncompressed bytes handled, reported by JMH as a rate: MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double mbps;

        @Setup(Level.Iteration)
        public void reset() {
            mbps = 0;
        }
    }

    /** The codec settings benchmarked, by the names used in {@link #codec}. */
    static CompressorConfig spec(String name) {
        return switch (name) {
            case "gzip-9" -> CompressorConfig.defaults(Compression.GZIP, BLOCK_SIZE);
            case "gzip-6" -> new CompressorConfig.Gzip(6);
            case "zstd-15" -> CompressorConfig.defaults(Compression.ZSTD, BLOCK_SIZE);
            case "xz" -> CompressorConfig.defaults(Compression.XZ, BLOCK_SIZE);
            case "lz4" -> CompressorConfig.defaults(Compression.LZ4, BLOCK_SIZE);
            case "lz4-hc" -> new CompressorConfig.Lz4(true);
            default -> throw new IllegalArgumentException("unknown codec setting '" + name + "'");
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, SquashfsFormatException {
        List<byte[]> sample = switch (data) {
            case "binaries" -> {
                if (!Files.isDirectory(BINARIES)) {
                    throw new IOException(BINARIES + " is not a directory; use -p data=text");
                }
                yield BlockSample.fromFiles(BlockSample.regularFiles(BINARIES), BLOCK_SIZE, 2, 64);
            }
            case "text" -> BlockSample.generated(42, BLOCK_SIZE, 64);
            default -> throw new IllegalArgumentException("unknown data '" + data + "' (binaries or text)");
        };
        if (sample.isEmpty()) {
            throw new IOException("no file of " + BINARIES + " has a full " + BLOCK_SIZE + "-byte block");
        }
        blocks = sample.toArray(new byte[0][]);
        coder = Codec.create(spec(codec));
        out = new byte[BLOCK_SIZE];
        // Decompression runs on the blocks that compress, as in an image; stored blocks are copied.
        List<byte[]> packed = new ArrayList<>();
        long in = 0;
        long stored = 0;
        for (byte[] b : blocks) {
            in += b.length;
            int n = coder.compress(b, 0, b.length, out);
            if (n < 0) {
                stored += b.length;
            } else {
                packed.add(java.util.Arrays.copyOf(out, n));
                stored += n;
                byte[] check = new byte[BLOCK_SIZE];
                int m = coder.decompress(out, 0, n, check, BLOCK_SIZE);
                if (m != b.length || !java.util.Arrays.equals(check, b)) {
                    throw new IllegalStateException(codec + " does not round-trip a block");
                }
            }
        }
        compressed = packed.toArray(new byte[0][]);
        compressedLength = packed.stream().mapToInt(p -> p.length).toArray();
        System.out.printf(Locale.ROOT, "%n%s on %s: %d blocks, %d compress; image data %.1f %% of the input%n",
                codec, data, blocks.length, compressed.length, 100.0 * stored / in);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coder.close();
    }

    @Benchmark
    public int compress(Throughput t) {
        byte[] b = blocks[next];
        next = next + 1 == blocks.length ? 0 : next + 1;
        t.mbps += b.length / 1e6;
        return coder.compress(b, 0, b.length, out);
    }

    @Benchmark
    public int decompress(Throughput t) throws SquashfsFormatException {
        if (compressed.length == 0) {
            throw new IllegalStateException(codec + " compressed none of the blocks");
        }
        int i = next % compressed.length;
        next = i + 1;
        int n = coder.decompress(compressed[i], 0, compressedLength[i], out, BLOCK_SIZE);
        t.mbps += n / 1e6;
        return n;
    }
}
