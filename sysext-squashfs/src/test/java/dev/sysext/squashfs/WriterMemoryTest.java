package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.testing.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with file data: 3 GiB streamed through the writer in a JVM limited to a
 * 64 MiB heap, then the image checked with unsquashfs, rdsquashfs and our reader.
 */
class WriterMemoryTest {

    @Test
    void threeGibibytesStreamThroughA64MibHeap(@TempDir Path work) throws Exception {
        Path image = work.resolve("large.sqfs");
        String classPath = Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(s -> Arrays.stream(s.split(File.pathSeparator))).filter(s -> !s.isEmpty()).distinct()
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp", classPath, LargeStreamImage.class.getName(), image.toString()));
        Path log = work.resolve("child.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish");
        }
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + Files.readString(log));

        String stats = ExternalTool.check("unsquashfs", "-s", image.toString());
        assertTrue(stats.contains("Number of inodes 4"), stats);
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(listing.contains(" " + LargeStreamImage.FILE_SIZE + " "), listing);
        }
        // The copy shares the first file's blocks, so the image holds two files' worth of data.
        assertEquals(blocksStart(image, "file-0"), blocksStart(image, "file-2"));
        try (SquashfsImage read = SquashfsImage.open(image)) {
            try (InputStream in = read.open(read.lookup("file-1").orElseThrow());
                    InputStream expected = new GeneratedContent(2, LargeStreamImage.FILE_SIZE)) {
                assertSameStream(expected, in);
            }
        }
    }

    private static long blocksStart(Path image, String path) {
        Matcher m = Pattern.compile("Blocks start: (\\d+)").matcher(ExternalTool.check("rdsquashfs", "-s", path, image.toString()));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void assertSameStream(InputStream expected, InputStream actual) throws IOException {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[1 << 20];
        long at = 0;
        while (true) {
            int n = expected.readNBytes(a, 0, a.length);
            int m = actual.readNBytes(b, 0, b.length);
            assertEquals(n, m, "length differs after " + at);
            if (n == 0) {
                return;
            }
            assertEquals(-1, Arrays.mismatch(a, 0, n, b, 0, n), "content differs in the MiB at " + at);
            at += n;
        }
    }
}
