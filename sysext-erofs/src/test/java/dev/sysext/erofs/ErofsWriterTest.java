package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract: refused entries name the problem, failures leave nothing behind. */
class ErofsWriterTest {
    private static final EntryMetadata FILE = EntryMetadata.of(0644, 0, 0, 100);

    private static void assertNoFilesBut(Path dir, long count) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(count, s.count(), "files left in " + dir);
        }
    }

    @Test
    void badEntriesAreRefusedWithTheirPath(@TempDir Path dir) throws IOException {
        try (ErofsWriter w = ErofsWriter.create(dir.resolve("x.erofs"), ErofsOptions.of(100))) {
            w.file("a/b", FILE, new ByteArrayInputStream(new byte[3]), 3);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.symlink("a/b", FILE, "t")).getMessage()
                    .contains("'a/b' was added twice"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> w.fifo("a/" + "n".repeat(256), FILE)).getMessage().contains("256 bytes long; EROFS allows 255"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.hardLink("c", "a")).getMessage()
                    .contains("its target 'a' is a directory"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.hardLink("c", "nope")).getMessage()
                    .contains("its target 'nope' does not exist"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.fifo("../up", FILE)).getMessage()
                    .contains("'..'"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.fifo("/abs", FILE)).getMessage()
                    .contains("absolute"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.fifo("a/b/c", FILE)).getMessage()
                    .contains("a parent is not a directory"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.symlink("l", FILE, "x".repeat(4096)))
                    .getMessage().contains("1 to 4095 bytes"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> w.charDevice("d", FILE, 4096, 0))
                    .getMessage().contains("major 0..4095"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> w.directory("x", FILE.withXattrs(Map.of("user.big", new byte[70_000])))).getMessage()
                    .contains("too large for EROFS"));
        }
        assertNoFilesBut(dir, 0);
    }

    @Test
    void shortContentFailsAndLeavesNoImage(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("x.erofs");
        Files.writeString(image, "the old image stays");
        for (String comp : new String[] {"none", "lz4"}) {
            try (ErofsWriter w = ErofsWriter.create(image,
                    ErofsOptions.of(100).withCompression(ErofsCompression.parse(comp, 65536)))) {
                IOException e = assertThrows(IOException.class,
                        () -> w.file("short", FILE, new ByteArrayInputStream(new byte[10_000]), 10_001));
                assertTrue(e.getMessage().contains("file 'short': the content ended before its size of 10001 bytes"),
                        e.getMessage());
            }
            assertEquals("the old image stays", Files.readString(image));
            assertNoFilesBut(dir, 1);
        }
    }

    @Test
    void metadataDoesNotDependOnArrivalOrder(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.erofs");
        try (ErofsWriter w = ErofsWriter.create(a, ErofsOptions.of(100))) {
            w.directory("usr/lib", FILE);
            w.symlink("usr/bin/sh", FILE, "bash");
            w.fifo("run/pipe", FILE);
            w.directory("", EntryMetadata.of(0700, 1, 2, 100));
            w.finish();
        }
        Path b = dir.resolve("b.erofs");
        try (ErofsWriter w = ErofsWriter.create(b, ErofsOptions.of(100))) {
            w.directory("", EntryMetadata.of(0700, 1, 2, 100));
            w.fifo("run/pipe", FILE);
            w.symlink("usr/bin/sh", FILE, "bash");
            w.directory("usr/lib", FILE);
            w.finish();
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        Trees.run("fsck.erofs", a.toString());
    }
}
