package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress listener sees every regular file once, counts that only grow and end at the image's
 * real totals, and changes nothing in the image. The file count is checked against unsquashfs.
 */
class WriterProgressTest {
    private static final int BLOCK = 4096;
    private static final EntryMetadata FILE = EntryMetadata.of(0644, 0, 0, 1_000_000);

    private record Report(long files, long bytesIn, long bytesOut) {
    }

    @Test
    void countsGrowToTheTotalsAndTheImageIsUnchanged(@TempDir Path dir) throws IOException {
        Random r = new Random(11);
        List<byte[]> streamed = List.of(TestTrees.noise(r, 3 * BLOCK + 5), TestTrees.text(r, 100), new byte[0]);
        Path src = Files.createDirectory(dir.resolve("src"));
        byte[] big = TestTrees.noise(r, 5 * BLOCK + 17);
        List<byte[]> byPath = List.of(big, big, TestTrees.text(r, 2 * BLOCK), TestTrees.text(r, 700), big);
        for (int i = 0; i < byPath.size(); i++) {
            Files.write(src.resolve("p" + i), byPath.get(i));
        }
        long expectedFiles = streamed.size() + byPath.size();
        long expectedIn = streamed.stream().mapToLong(b -> b.length).sum() + byPath.stream().mapToLong(b -> b.length).sum();

        List<Report> reports = new ArrayList<>();
        Path withListener = write(dir.resolve("with.sqfs"), streamed, src, byPath.size(),
                (files, in, out) -> reports.add(new Report(files, in, out)));
        Path without = write(dir.resolve("without.sqfs"), streamed, src, byPath.size(), WriteProgress.NONE);

        assertArrayEquals(Files.readAllBytes(without), Files.readAllBytes(withListener),
                "the listener changed the image");
        // One report per file, plus the last one when the image is complete.
        assertEquals(expectedFiles + 1, reports.size(), reports.toString());
        for (int i = 1; i < reports.size(); i++) {
            Report a = reports.get(i - 1);
            Report b = reports.get(i);
            assertTrue(b.files() >= a.files() && b.bytesIn() >= a.bytesIn() && b.bytesOut() >= a.bytesOut(),
                    "counts went down: " + reports);
        }
        Report last = reports.get(reports.size() - 1);
        long regularFiles = ExternalTool.unsquashfsListing(withListener).lines().filter(l -> l.startsWith("-")).count();
        assertEquals(regularFiles, last.files(), reports.toString());
        assertEquals(expectedFiles, last.files());
        assertEquals(expectedIn, last.bytesIn(), reports.toString());
        assertEquals(Files.size(withListener), last.bytesOut(), reports.toString());
        // Streamed files are reported as they are added, path files during finish().
        assertEquals(streamed.stream().mapToLong(b -> b.length).sum(), reports.get(streamed.size() - 1).bytesIn());
    }

    private static Path write(Path image, List<byte[]> streamed, Path src, int pathFiles, WriteProgress progress)
            throws IOException {
        WriterOptions options = WriterOptions.builder().blockSize(BLOCK).workers(2).mkfsTime(1_000_000).build();
        try (SquashfsWriter w = SquashfsWriter.create(image, options, progress)) {
            for (int i = 0; i < pathFiles; i++) {
                w.file("dir/p" + i, FILE, src.resolve("p" + i));
            }
            for (int i = 0; i < streamed.size(); i++) {
                byte[] b = streamed.get(i);
                w.file("s" + i, FILE, new ByteArrayInputStream(b), b.length);
            }
            w.finish();
        }
        return image;
    }
}
