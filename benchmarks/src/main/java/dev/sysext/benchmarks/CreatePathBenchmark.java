package dev.sysext.benchmarks;

import dev.sysext.erofs.ErofsCompression;
import dev.sysext.erofs.ErofsOptions;
import dev.sysext.erofs.ErofsWriter;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.entry.TarSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
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
 * The core of {@code sysext create}: a release {@code .tar.gz} streamed into an image writer
 * (gzip decompression, tar parsing, the writer's compression and layout), with no file of the
 * release ever written to disk. The set-up makes a containerd-like release once: a {@code bin/}
 * of large files cut from the machine's binaries (with tails, so fragments too) and a few small
 * text files, gzip-compressed at the JDK's default level as release tarballs are. One operation is
 * one image; the set-up prints the release's sizes, so MB/s = uncompressed MB / (ms/op / 1000).
 *
 * <p>{@link #squashfs} goes through {@link TarSource} (the archive reader sysext-stage uses too) into
 * a gzip-9 {@link SquashfsWriter}, {@code sysext create}'s default; {@link #erofs} through
 * {@link ErofsWriter#addTar} with the bakery's EROFS settings (lz4hc 12, 64 KiB clusters).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class CreatePathBenchmark {
    private static final int BLOCK = 128 * 1024;

    /** Compression threads of both writers. */
    @Param({"2"})
    public int workers;

    /** Large files of the release; each is 8 sample blocks less a seeded tail. */
    @Param({"16"})
    public int binaries;

    private ScratchImage scratch;
    private Path tarball;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        scratch = ScratchImage.create("sysext-create-bench", "image.raw");
        tarball = scratch.dir().resolve("release.tar.gz");
        long bytes = writeRelease(tarball, binaries);
        System.out.printf(Locale.ROOT, "%nrelease: %.1f MB in %d files, %.1f MB as tar.gz%n",
                bytes / 1e6, binaries + 8, Files.size(tarball) / 1e6);
    }

    /**
     * Writes the release tarball: {@code binaries} files in {@code bin/} of up to 1 MiB each cut from
     * {@code /usr/bin} (generated text-like content where it has too few large files) and 8 small
     * text files in {@code etc/}. Returns the uncompressed size of the files.
     */
    static long writeRelease(Path tarball, int binaries) throws IOException {
        int want = binaries * 8;
        List<byte[]> blocks = new ArrayList<>();
        Path usrBin = Path.of("/usr/bin");
        if (Files.isDirectory(usrBin)) {
            blocks.addAll(BlockSample.fromFiles(BlockSample.regularFiles(usrBin), BLOCK, 8, want));
        }
        if (blocks.size() < want) {
            blocks.addAll(BlockSample.generated(7, BLOCK, want - blocks.size()));
        }
        Random random = new Random(11);
        long total = 0;
        try (OutputStream file = Files.newOutputStream(tarball);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(file, 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(tar, "bin/");
            for (int i = 0; i < binaries; i++) {
                int size = 8 * BLOCK - random.nextInt(BLOCK);
                TarArchiveEntry e = new TarArchiveEntry("bin/tool-" + i);
                e.setSize(size);
                e.setMode(0100755);
                tar.putArchiveEntry(e);
                int left = size;
                for (int j = 0; left > 0; j++) {
                    int n = Math.min(left, BLOCK);
                    tar.write(blocks.get(i * 8 + j), 0, n);
                    left -= n;
                }
                tar.closeArchiveEntry();
                total += size;
            }
            directory(tar, "etc/");
            for (int i = 0; i < 8; i++) {
                byte[] text = GeneratedTree.content(random, 200 + random.nextInt(8000));
                TarArchiveEntry e = new TarArchiveEntry("etc/config-" + i + ".toml");
                e.setSize(text.length);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(text);
                tar.closeArchiveEntry();
                total += text.length;
            }
            tar.finish();
        }
        return total;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    @Benchmark
    public long squashfs() throws IOException {
        try (SquashfsWriter w = SquashfsWriter.create(scratch.image(), WriterBenchmark.options("gzip-9", workers))) {
            TarSource.addArchive(w, tarball, false);
            w.finish();
        }
        return scratch.imageSize();
    }

    @Benchmark
    public long erofs() throws IOException {
        ErofsOptions options = ErofsOptions.of(0).withAllRoot(true).withThreads(workers)
                .withCompression(ErofsCompression.BAKERY);
        try (ErofsWriter w = ErofsWriter.create(scratch.image(), options)) {
            w.addTar(tarball);
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
