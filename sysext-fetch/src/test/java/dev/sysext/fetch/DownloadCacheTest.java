package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sysext.fetch.testing.LoopbackServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadCacheTest {
    private static final URI URL = URI.create("https://example.org/f.tar.gz");

    @TempDir
    Path dir;

    private List<String> entryNames() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void defaultDirectoryFollowsXdg() {
        assertEquals(Path.of("/x/cache/sysext"), DownloadCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "/x/cache",
                "HOME", "/home/u")));
        assertEquals(Path.of("/home/u/.cache/sysext"), DownloadCache.defaultDirectory(Map.of("HOME", "/home/u")));
        // The XDG spec says relative paths are invalid and must be ignored.
        assertEquals(Path.of("/home/u/.cache/sysext"), DownloadCache.defaultDirectory(Map.of("XDG_CACHE_HOME", "rel",
                "HOME", "/home/u")));
    }

    @Test
    void failedVerificationLeavesNothingAndFailedDownloadKeepsItsPartial() throws Exception {
        DownloadCache cache = new DownloadCache(dir);
        assertThrows(VerificationException.class, () -> cache.obtain(URL, "f.tar.gz",
                tmp -> Files.writeString(tmp, "partial"), p -> {
                    throw new VerificationException("bad");
                }));
        assertEquals(List.of(".lock"), entryNames());
        assertThrows(FetchException.class, () -> cache.obtain(URL, "f.tar.gz", tmp -> {
            Files.writeString(tmp, "half");
            throw new FetchException(URL, "cut", null);
        }, p -> { }));
        // Kept for the next run to continue (see ResumeTest), never under the final name.
        assertEquals(List.of(".f.tar.gz.partial", ".lock"), entryNames());
        assertThrows(IllegalArgumentException.class, () -> cache.pathFor(URL, "../x"));
        assertThrows(IllegalArgumentException.class, () -> cache.pathFor(URL, ".hidden"));
    }

    @Test
    void leftoversOfDeadProcessesAreRemoved() throws Exception {
        DownloadCache cache = new DownloadCache(dir);
        Path target = cache.pathFor(URL, "f.tar.gz");
        Files.createDirectories(target.getParent());
        Files.writeString(target.getParent().resolve(".f.tar.gz.part-123"), "stale");
        Path p = cache.obtain(URL, "f.tar.gz", tmp -> Files.writeString(tmp, "good"), c -> { });
        assertEquals(target, p);
        assertEquals(List.of(".lock", "f.tar.gz"), entryNames());
    }

    @Test
    void concurrentThreadsDownloadOnce() throws Exception {
        DownloadCache cache = new DownloadCache(dir);
        AtomicInteger downloads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> cache.obtain(URL, "f.tar.gz", tmp -> {
                    downloads.incrementAndGet();
                    Files.writeString(tmp, "content");
                }, p -> {
                    if (!Files.readString(p).equals("content")) {
                        throw new VerificationException(p + ": wrong content");
                    }
                })));
            }
            Set<Path> paths = new LinkedHashSet<>();
            for (Future<Path> f : results) {
                paths.add(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, paths.size());
            assertEquals(1, downloads.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoProcessesShareTheCache() throws Exception {
        byte[] body = new byte[500_000];
        new Random(3).nextBytes(body);
        try (LoopbackServer server = LoopbackServer.start()) {
            // A slow answer, so that the second process usually arrives while the first holds the lock.
            server.route("/slow", r -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return LoopbackServer.Reply.bytes(body);
            });
            String classPath = String.join(File.pathSeparator, childClassPath());
            List<Process> children = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", classPath, CacheWorker.class.getName(), dir.toString(),
                        "https://example.org=" + server.base(), "https://example.org/slow",
                        LoopbackServer.sha256(body)).redirectErrorStream(true).start());
            }
            Set<String> printed = new LinkedHashSet<>();
            for (Process p : children) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out);
                printed.add(out);
            }
            assertEquals(1, printed.size(), printed.toString());
            assertArrayEquals(body, Files.readAllBytes(Path.of(printed.iterator().next())));
            assertEquals(1, server.requests("/slow").size(), "the second process used the first one's download");
            assertEquals(List.of(".lock", "slow"), entryNames());
        }
    }

    /** The module path and class path of this JVM plus the main and test classes, as a plain class path. */
    private static List<String> childClassPath() throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(Path.of(CacheWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                cp.addAll(List.of(v.split(File.pathSeparator)));
            }
        }
        return cp;
    }
}
