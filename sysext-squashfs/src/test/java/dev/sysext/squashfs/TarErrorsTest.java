package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sysext.entry.TarSource;
import dev.sysext.squashfs.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives cut short, as a killed download leaves them: the error names the archive, the entry and the problem. */
class TarErrorsTest {
    private static final int SIZE = 200_000;

    @TempDir
    Path dir;
    private Path tar;

    @BeforeEach
    void archive() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("bin"));
        byte[] data = new byte[SIZE];
        new Random(3).nextBytes(data);
        Files.write(src.resolve("bin/ctr"), data);
        Files.writeString(src.resolve("bin/z-last"), "after ctr");
        tar = dir.resolve("containerd.tar");
        ExternalTool.check("tar", "--format=gnu", "--sort=name", "--owner=0", "--group=0", "-C", src.toString(),
                "-cf", tar.toString(), "bin");
    }

    private String failure(Path archive) throws IOException {
        Path image = dir.resolve("out.sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
            return assertThrows(IOException.class, () -> TarSource.addArchive(w, archive, true)).getMessage();
        } catch (IllegalStateException incomplete) {
            // close() without finish() after a failure: expected, the image is not written.
            return incomplete.getMessage();
        } finally {
            assertFalse(Files.exists(image));
        }
    }

    private Path cut(Path file, long length) throws IOException {
        Path out = dir.resolve(file.getFileName().toString().replace("containerd", "cut"));
        Files.write(out, Arrays.copyOf(Files.readAllBytes(file), (int) length));
        return out;
    }

    @Test
    void truncatedGzipNamesTheArchiveTheEntryAndTheSize() throws Exception {
        ExternalTool.check("gzip", "-k", "-n", tar.toString());
        Path gz = dir.resolve("containerd.tar.gz");
        Path half = cut(gz, Files.size(gz) / 2);
        assertEquals(half + ": entry 'bin/ctr': truncated gzip stream after " + Files.size(half) + " bytes", failure(half));
    }

    @Test
    void truncatedXzAndZstdSayTheSame() throws Exception {
        ExternalTool.check("xz", "-k", tar.toString());
        Path xz = cut(dir.resolve("containerd.tar.xz"), Files.size(dir.resolve("containerd.tar.xz")) / 2);
        assertEquals(xz + ": entry 'bin/ctr': truncated xz stream after " + Files.size(xz) + " bytes", failure(xz));
    }

    @Test
    void tarEntryShorterThanItsHeaderSaysHowMuchArrived() throws Exception {
        // bin/ (512), the header of bin/ctr (512), then 100,000 of its 200,000 bytes.
        Path t = cut(tar, 512 + 512 + 100_000);
        String m = failure(t);
        assertEquals(t + ": entry 'bin/ctr': archive ends inside it (after " + 100_000 + " of " + SIZE + " bytes)", m);
    }

    @Test
    void endInsideAHeaderNamesTheEntryBefore() throws Exception {
        // GNU tar writes bin/ (512), bin/ctr (512 + 200,192 padded), then bin/z-last's header.
        long zHeader = 512 + 512 + 200_192;
        Path t = cut(tar, zHeader + 100);
        String m = failure(t);
        assertEquals(t + ": archive ends inside an entry header after " + (zHeader + 100) + " bytes, after entry 'bin/ctr'", m);
    }
}
