package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.testing.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk, on a 1 MiB tmpfs: the error names the file being written and nothing is left behind. */
class DiskFullTest {
    private static final EntryMetadata FILE = new EntryMetadata(0644, 0, 0, 0, Map.of());

    @TempDir
    Path dir;

    @Test
    void fullDiskNamesTheImageBeingWritten() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        ExternalTool.Result mount = ExternalTool.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString());
        Assumptions.assumeTrue(mount.exitCode() == 0, "cannot mount a tmpfs here (needs root): " + mount);
        try {
            byte[] data = new byte[3 << 20];
            new Random(1).nextBytes(data);
            Path image = mnt.resolve("big.raw");
            IOException e;
            try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
                e = assertThrows(IOException.class, () -> {
                    w.file("data", FILE, new ByteArrayInputStream(data), data.length);
                    w.finish();
                });
            } catch (IllegalStateException closedAfterFailure) {
                throw new AssertionError("close after a failed write should not throw", closedAfterFailure);
            }
            String m = e.getMessage();
            assertTrue(m.startsWith(mnt + "/.big.raw.") && m.contains(".partial: ") && m.endsWith("No space left on device"), m);
            try (Stream<Path> s = Files.list(mnt)) {
                assertEquals(List.of(), s.toList(), "nothing is left on the full disk");
            }
        } finally {
            ExternalTool.run("umount", mnt.toString());
        }
    }
}
