package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed run leaves its hidden partial image; the next writer in the directory removes it, but never
 * the partial file of a run still going, in another process or in this one.
 */
class StalePartialFilesTest {
    private static final EntryMetadata FILE = new EntryMetadata(0644, 0, 0, 0, Map.of());
    private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeImage(String name) throws Exception {
        try (SquashfsWriter w = SquashfsWriter.create(dir.resolve(name), WriterOptions.builder().build())) {
            w.file("f", FILE, new ByteArrayInputStream(new byte[10]), 10);
            w.finish();
        }
    }

    private Path old(String name) throws Exception {
        Path p = Files.writeString(dir.resolve(name), "left behind");
        Files.setLastModifiedTime(p, HOUR_AGO);
        return p;
    }

    @Test
    void deadRunsPartialFilesGoOthersStay() throws Exception {
        old(".containerd-2.2.0-x86-64.raw.sysext-k3j4.partial");
        // Recent (a writer between creating and locking it), and names of other kinds: kept.
        Files.writeString(dir.resolve(".fresh.raw.sysext-abc.partial"), "just created");
        old(".notes.partial");
        old(".other.raw.abc.partial");
        old("visible.raw.sysext-abc.partial");
        writeImage("new.raw");
        assertEquals(List.of(".fresh.raw.sysext-abc.partial", ".notes.partial", ".other.raw.abc.partial", "new.raw",
                "visible.raw.sysext-abc.partial"), names());
    }

    @Test
    void aLiveRunInAnotherProcessKeepsItsFileUntilItIsKilled() throws Exception {
        Path partial = old(".busy.raw.sysext-zz9.partial");
        // The other run: a JVM that locks the file as a writer does, then waits.
        Path locker = Files.writeString(dir.getParent().resolve(dir.getFileName() + "-Locker.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Locker {
                    public static void main(String[] a) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE);
                        if (ch.tryLock() == null) throw new IllegalStateException("not locked");
                        System.out.println("locked");
                        System.in.read();
                    }
                }
                """);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                locker.toString(), partial.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            Files.setLastModifiedTime(partial, HOUR_AGO);
            writeImage("a.raw");
            assertTrue(Files.exists(partial), "the live run's partial file was removed");
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            Files.deleteIfExists(locker);
        }
        // Killed: the kernel dropped its lock, and the next run cleans up.
        writeImage("b.raw");
        assertEquals(List.of("a.raw", "b.raw"), names());
    }

    @Test
    void aLiveWriterInThisJvmKeepsItsFile() throws Exception {
        try (SquashfsWriter first = SquashfsWriter.create(dir.resolve("first.raw"), WriterOptions.builder().build())) {
            Path partial;
            try (Stream<Path> s = Files.list(dir)) {
                partial = s.filter(f -> f.getFileName().toString().endsWith(".partial")).findFirst().orElseThrow();
            }
            Files.setLastModifiedTime(partial, HOUR_AGO);
            writeImage("second.raw");
            assertTrue(Files.exists(partial));
            first.file("f", FILE, new ByteArrayInputStream(new byte[10]), 10);
            first.finish();
        }
        assertEquals(List.of("first.raw", "second.raw"), names());
    }
}
