package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreatePathBenchmarkTest {

    /** Both operations turn the release tarball into an image that the format's own tools read back whole. */
    @Test
    void bothWritersMakeReadableImagesOfTheRelease(@TempDir Path scratch) throws Exception {
        CreatePathBenchmark b = new CreatePathBenchmark();
        b.workers = 2;
        b.binaries = 2;
        b.setUp();
        Path image = b.image();
        try {
            assertTrue(b.squashfs() > 0);
            String listing = run(scratch, "unsquashfs", "-l", image.toString());
            List<String> files = listing.lines().filter(l -> l.matches(".*/(bin/tool-\\d+|etc/config-\\d+\\.toml)$")).toList();
            assertEquals(10, files.size(), listing);

            assertTrue(b.erofs() > 0);
            run(scratch, "fsck.erofs", image.toString());
        } finally {
            b.tearDown();
        }
        assertFalse(Files.exists(image.getParent()), "the set-up's temporary directory is left behind");
    }

    private static String run(Path scratch, String... command) throws Exception {
        Path out = scratch.resolve("out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
        return text;
    }
}
