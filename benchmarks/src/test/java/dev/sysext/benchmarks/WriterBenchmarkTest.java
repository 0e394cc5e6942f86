package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterBenchmarkTest {

    @Test
    void settingsMatchTheComparisonCases() {
        assertEquals(Compression.GZIP, WriterBenchmark.options("gzip-9", 2).compression());
        assertEquals(new CompressorConfig.Gzip(9), WriterBenchmark.options("gzip-9", 2).compressor());
        assertEquals(new CompressorConfig.Zstd(15), WriterBenchmark.options("zstd-15", 1).compressor());
        assertEquals(2, WriterBenchmark.options("xz", 2).workers());
        assertTrue(WriterBenchmark.options("lz4", 1).allRoot());
    }

    /** One operation writes an image that unsquashfs reads back with every file of the tree. */
    @Test
    void oneOperationWritesAReadableImage(@TempDir Path scratch) throws Exception {
        WriterBenchmark b = new WriterBenchmark();
        b.codec = "lz4";
        b.workers = 2;
        b.setUp();
        Path image = b.image();
        try {
            long size = b.write();
            assertTrue(size > 0 && size % 4096 == 0, "image size " + size);
            Path listing = scratch.resolve("listing");
            Process p = new ProcessBuilder("unsquashfs", "-l", image.toString())
                    .redirectErrorStream(true).redirectOutput(listing.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(listing));
            List<String> files = Files.readAllLines(listing).stream().filter(l -> l.matches(".*/f\\d+$")).toList();
            assertEquals(200, files.size(), Files.readString(listing));
        } finally {
            b.tearDown();
        }
        assertFalse(Files.exists(image.getParent()), "the set-up's temporary directory is left behind");
    }
}
