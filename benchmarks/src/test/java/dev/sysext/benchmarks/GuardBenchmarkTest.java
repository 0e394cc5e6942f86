package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardBenchmarkTest {

    /** Distinct, full blocks in whole files: the writer compresses exactly what the raw half does. */
    @Test
    void theSampleIsDistinctFullBlocksInWholeFiles() throws Exception {
        List<byte[]> blocks = GuardBenchmark.sample();
        assertTrue(blocks.size() >= GuardBenchmark.MIN_BLOCKS && blocks.size() <= GuardBenchmark.MAX_BLOCKS);
        assertEquals(0, blocks.size() % GuardBenchmark.BLOCKS_PER_FILE);
        assertTrue(blocks.stream().allMatch(b -> b.length == GuardBenchmark.BLOCK_SIZE));
        assertEquals(blocks.size(), new HashSet<>(blocks.stream().map(ByteBuffer::wrap).toList()).size());
        assertEquals(blocks.stream().map(ByteBuffer::wrap).toList(),
                GuardBenchmark.sample().stream().map(ByteBuffer::wrap).toList(), "the same machine gives the same sample");
    }

    /** Both halves handle every block; the pair times both; the writer's image holds every file. */
    @Test
    void bothHalvesHandleTheWholeSample(@TempDir Path scratch) throws Exception {
        GuardBenchmark b = new GuardBenchmark();
        b.codec = "gzip-9";
        b.threads = 2;
        b.setUp();
        try {
            long compressed = b.raw();
            long bytes = GuardBenchmark.bytes(GuardBenchmark.sample());
            assertTrue(compressed > bytes / 10 && compressed < bytes, "raw output " + compressed + " of " + bytes);
            long image = b.writer();
            assertTrue(image > compressed / 2 && image < bytes + bytes / 10, "image " + image + " for raw " + compressed);
            Path listing = scratch.resolve("listing");
            Process p = new ProcessBuilder("unsquashfs", "-l", b.image().toString())
                    .redirectErrorStream(true).redirectOutput(listing.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), Files.readString(listing));
            long files = Files.readAllLines(listing).stream().filter(l -> l.matches(".*/f\\d{3}$")).count();
            assertEquals(bytes / GuardBenchmark.BLOCK_SIZE / GuardBenchmark.BLOCKS_PER_FILE, files);

            GuardBenchmark.PassTimes t = new GuardBenchmark.PassTimes();
            b.pair(t);
            assertTrue(t.rawMs > 0 && t.writerMs > 0 && t.rawCpuMs > 0 && t.writerCpuMs > 0,
                    t.rawMs + " " + t.writerMs + " " + t.rawCpuMs + " " + t.writerCpuMs);
        } finally {
            b.tearDown();
        }
    }
}
