package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release outputs on a full disk (a 1 MiB tmpfs): the error names the file, nothing half-written stays. */
class DiskFullTest {
    @TempDir
    Path dir;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void fullDiskNamesTheOutputFile() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            OutputFile big = new OutputFile("publish/SHA256SUMS", new byte[2 << 20], OutputFile.PUBLIC);
            IOException e = assertThrows(IOException.class, () -> big.writeInto(mnt));
            String m = e.getMessage();
            assertTrue(m.startsWith(mnt.resolve("publish/SHA256SUMS") + ": No space left on device (writing its temporary file .SHA256SUMS."),
                    m);
            try (Stream<Path> s = Files.list(mnt.resolve("publish"))) {
                assertEquals(List.of(), s.toList());
            }
        } finally {
            run("umount", mnt.toString());
        }
    }
}
