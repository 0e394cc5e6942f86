package dev.sysext.benchmarks;

import dev.sysext.squashfs.Compression;
import dev.sysext.entry.DirectorySource;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriterOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 * The writer end to end: a {@link GeneratedTree} of about 26 MB (200 files of up to 256 KiB, so
 * both full blocks and fragments) written to an image through {@link DirectorySource}, per
 * compressor and worker count. One operation is one image; the set-up prints the tree size, so
 * MB/s = tree MB / (ms/op / 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class WriterBenchmark {

    @Param({"gzip-9", "zstd-15", "xz", "lz4"})
    public String codec;

    @Param({"1", "2"})
    public int workers;

    private ScratchImage scratch;
    private Path tree;
    private WriterOptions options;

    /** Writer options for a benchmarked setting (mksquashfs' defaults otherwise). */
    static WriterOptions options(String codec, int workers) {
        WriterOptions.Builder b = WriterOptions.builder().workers(workers).allRoot(true);
        return switch (codec) {
            case "gzip-9" -> b.compression(Compression.GZIP).level(9).build();
            case "zstd-15" -> b.compression(Compression.ZSTD).level(15).build();
            case "xz" -> b.compression(Compression.XZ).build();
            case "lz4" -> b.compression(Compression.LZ4).build();
            default -> throw new IllegalArgumentException("unknown codec setting '" + codec + "'");
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        scratch = ScratchImage.create("sysext-writer-bench", "image.sqfs");
        tree = scratch.dir().resolve("tree");
        long bytes = GeneratedTree.write(tree, 1, 200, 256 * 1024);
        options = options(codec, workers);
        System.out.printf(Locale.ROOT, "%ntree: %.1f MB%n", bytes / 1e6);
    }

    @Benchmark
    public long write() throws IOException {
        try (SquashfsWriter w = SquashfsWriter.create(scratch.image(), options)) {
            DirectorySource.addTree(w, tree, false);
            w.finish();
        }
        return scratch.imageSize();
    }

    /** The image the last operation wrote. */
    Path image() {
        return scratch.image();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        scratch.delete();
    }
}
