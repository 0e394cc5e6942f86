package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.TarSource;
import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.LoopMount;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterLargeAndFailureTest {
    private static final EntryMetadata FILE = EntryMetadata.of(0644, 0, 0, 1_700_000_000L);

    /** A stream of {@code size} bytes: zeros except a marker at the start and at the very end. */
    private static InputStream generated(long size, byte[] head, byte[] tail) {
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                Arrays.fill(b, off, off + n, (byte) 0);
                for (long p = pos; p < Math.min(pos + n, head.length); p++) {
                    b[off + (int) (p - pos)] = head[(int) p];
                }
                long tailStart = size - tail.length;
                for (long p = Math.max(pos, tailStart); p < pos + n; p++) {
                    b[off + (int) (p - pos)] = tail[(int) (p - tailStart)];
                }
                pos += n;
                return n;
            }
        };
    }

    @Test
    void aFileLargerThan4GiBIsReadBackByTheKernel(@TempDir Path dir) throws Exception {
        long size = (4L << 30) + 123_457;
        byte[] head = "head of a big file".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "and its tail".getBytes(StandardCharsets.US_ASCII);
        Path image = dir.resolve("big.sqfs");
        WriterOptions o = WriterOptions.builder().blockSize(1 << 20).mkfsTime(1).build();
        try (SquashfsWriter w = SquashfsWriter.create(image, o)) {
            w.file("big", FILE, generated(size, head, tail), size);
            w.file("after", FILE, new ByteArrayInputStream("after\n".getBytes(StandardCharsets.US_ASCII)), 6);
            w.finish();
        }
        assertTrue(Files.size(image) < 1 << 20, "sparse blocks must take no space: " + Files.size(image));
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        assertTrue(listing.contains(" " + size + " "), listing);
        try (LoopMount m = LoopMount.mount(image, dir)) {
            Path big = m.root().resolve("big");
            assertEquals(size, Files.size(big));
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "r")) {
                byte[] b = new byte[head.length];
                f.readFully(b);
                assertArrayEquals(head, b);
                f.seek(3L << 30);
                byte[] zeros = new byte[4096];
                f.readFully(zeros);
                assertArrayEquals(new byte[4096], zeros);
                f.seek(size - tail.length);
                b = new byte[tail.length];
                f.readFully(b);
                assertArrayEquals(tail, b);
            }
            assertEquals("after\n", Files.readString(m.root().resolve("after")));
        }
    }

    @Test
    void closeWithoutFinishDiscardsTheImageAndThrows(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("image.sqfs");
        Files.writeString(image, "the previous image");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
                w.file("ok", FILE, new ByteArrayInputStream(new byte[10]), 10);
            }
        });
        assertTrue(e.getMessage().contains("without finish()") && e.getMessage().contains(image.toString()),
                e.getMessage());
        assertOnlyTheOldImage(dir, image);
    }

    @Test
    void theCallersExceptionPropagatesUnchangedAndTheImageIsDropped(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("image.sqfs");
        Files.writeString(image, "the previous image");
        IOException thrown = new IOException("the caller's own failure");
        IOException e = assertThrows(IOException.class, () -> {
            try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
                w.file("ok", FILE, new ByteArrayInputStream(new byte[10]), 10);
                throw thrown;
            }
        });
        assertTrue(e == thrown, "the caller's exception was replaced by " + e);
        assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0] instanceof IllegalStateException,
                "expected the writer's IllegalStateException as suppressed");
        assertOnlyTheOldImage(dir, image);
    }

    @Test
    void afterAFailedWriterCallCloseJustCleansUp(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("image.sqfs");
        Files.writeString(image, "the previous image");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
            w.file("ok", FILE, new ByteArrayInputStream(new byte[10]), 10);
            // The caller catches the writer's refusal and gives up on the image: no exception from close().
            assertThrows(IllegalArgumentException.class, () -> w.hardLink("link", "missing"));
        }
        assertOnlyTheOldImage(dir, image);
    }

    private static void assertOnlyTheOldImage(Path dir, Path image) throws IOException {
        assertEquals("the previous image", Files.readString(image));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(image), s.toList(), "temporary files were left behind");
        }
    }

    @Test
    void aFailedWriteLeavesNoImageAndKeepsTheOldOne(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("image.sqfs");
        Files.writeString(image, "the previous image");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
            w.file("ok", FILE, new ByteArrayInputStream(new byte[10]), 10);
            EOFException e = assertThrows(EOFException.class,
                    () -> w.file("short", FILE, new ByteArrayInputStream(new byte[100]), 1000));
            assertTrue(e.getMessage().contains("short") && e.getMessage().contains("100 of 1000"), e.getMessage());
            IllegalStateException s = assertThrows(IllegalStateException.class, w::finish);
            assertTrue(s.getMessage().contains("'short'"), s.getMessage());
        }
        assertEquals("the previous image", Files.readString(image));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(image), s.toList(), "temporary files were left behind");
        }
    }

    @Test
    void conflictingEntriesAreRefusedWithThePath(@TempDir Path dir) throws Exception {
        try (SquashfsWriter w = SquashfsWriter.create(dir.resolve("x.sqfs"), WriterOptions.builder().build())) {
            w.symlink("a/link", FILE, "target");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.directory("a/link", FILE));
            assertTrue(e.getMessage().contains("a/link"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.fifo("a/link/x", FILE));
            assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.hardLink("b", "missing"));
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> w.hardLink("b", "a"));
            assertTrue(e.getMessage().contains("directory"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.fifo("../escape", FILE));
            assertThrows(IllegalArgumentException.class, () -> w.fifo("n".repeat(257), FILE));
            e = assertThrows(IllegalArgumentException.class, () -> w.fifo("d/".repeat(5000) + "f", FILE));
            assertTrue(e.getMessage().contains("5001 levels"), e.getMessage());
            w.fifo("d/".repeat(2000) + "f", FILE); // deep, but fine
        }
        assertFalse(Files.exists(dir.resolve("x.sqfs")));
    }

    @Test
    void theDeepestAllowedTreeIsWritten(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("deep.sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
            w.file("d/".repeat(2047) + "f", FILE, new ByteArrayInputStream(new byte[3]), 3);
            w.finish();
        }
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        assertEquals(2049, listing.lines().filter(l -> l.contains("squashfs-root")).count());
    }

    /**
     * The writer must not need a deeper stack for deeper trees: with recursive tree passes this
     * failed every time on a 256 KiB stack.
     */
    @Test
    void theDeepestAllowedTreeIsWrittenOnASmallStack(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("deep.sqfs");
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
                w.file("d/".repeat(2047) + "f", FILE, new ByteArrayInputStream(new byte[3]), 3);
                w.finish();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack-writer", 256 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("writing 2048 levels on a 256 KiB stack failed", failure[0]);
        }
        assertEquals(2049, ExternalTool.check("unsquashfs", "-lln", image.toString()).lines()
                .filter(l -> l.contains("squashfs-root")).count());
    }

    @Test
    void tarEntriesEscapingTheRootAreRefusedByName(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"/etc/passwd", "usr/../../etc/passwd"}) {
            Path tar = dir.resolve("bad.tar");
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
                TarArchiveEntry e = new TarArchiveEntry("usr/ok");
                e.setSize(2);
                out.putArchiveEntry(e);
                out.write(new byte[2]);
                out.closeArchiveEntry();
                TarArchiveEntry b = new TarArchiveEntry(bad, true);
                b.setSize(0);
                out.putArchiveEntry(b);
                out.closeArchiveEntry();
            }
            Path image = dir.resolve("out.sqfs");
            try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
                IOException e = assertThrows(IOException.class, () -> TarSource.addArchive(w, tar, true));
                assertTrue(e.getMessage().contains(bad) && e.getMessage().contains(tar.toString()), e.getMessage());
            }
            assertFalse(Files.exists(image));
        }
        Path garbage = Files.write(dir.resolve("garbage.tar"), "this is not a tar archive at all".repeat(40).getBytes(StandardCharsets.US_ASCII));
        try (SquashfsWriter w = SquashfsWriter.create(dir.resolve("g.sqfs"), WriterOptions.builder().build())) {
            IOException e = assertThrows(IOException.class, () -> TarSource.addArchive(w, garbage, true));
            assertTrue(e.getMessage().contains("garbage.tar"), e.getMessage());
        }
    }

    @Test
    void directoryHeadersSplitOnInodeNumberDeltaOverflow(@TempDir Path dir) throws Exception {
        // "a/0" is inode 1; "a/big" holds 40000 entries, so "a/big" and "a/z" are numbered past 40000.
        Path image = dir.resolve("delta.sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().mkfsTime(1).build())) {
            w.fifo("a/0", FILE);
            for (int i = 0; i < 40_000; i++) {
                w.fifo("a/big/" + i, FILE);
            }
            w.file("a/z", FILE, new ByteArrayInputStream("zz".getBytes(StandardCharsets.US_ASCII)), 2);
            w.finish();
        }
        try (LoopMount m = LoopMount.mount(image, dir)) {
            try (Stream<Path> s = Files.list(m.root().resolve("a"))) {
                assertEquals(List.of("0", "big", "z"), s.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertEquals("zz", Files.readString(m.root().resolve("a/z")));
            Map<String, Object> a = Files.readAttributes(m.root().resolve("a/z"), "unix:ino");
            assertEquals(40_003L, ((Number) a.get("ino")).longValue());
            try (Stream<Path> s = Files.list(m.root().resolve("a/big"))) {
                assertEquals(40_000, s.count());
            }
            assertTrue(Files.exists(m.root().resolve("a/big/39999")));
        }
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        assertEquals(40_000 + 5, listing.lines().filter(l -> l.contains("squashfs-root")).count(), "entries listed");
    }
}
