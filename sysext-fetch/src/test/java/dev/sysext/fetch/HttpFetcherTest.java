package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.LoopbackServer.Fault;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpFetcherTest {
    private static final byte[] BODY = new byte[300_000];

    static {
        new Random(7).nextBytes(BODY);
    }

    private LoopbackServer server;
    private HttpFetcher fetcher;

    @TempDir
    Path dir;

    /** Short timeouts and backoff so fault tests stay fast. */
    static HttpSettings fastSettings() {
        return HttpSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500))
                .withRetries(3, Duration.ofMillis(10));
    }

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start();
        server.stallMillis(3000);
        // Clients ask for mirror.example; the rewriter sends them to the loopback server.
        fetcher = new HttpFetcher(fastSettings(), UrlRewriter.of(List.of("https://mirror.example=" + server.base())));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static URI url(String path) {
        return URI.create("https://mirror.example" + path);
    }

    @Test
    void downloadsThroughRewrittenRedirectChainAcrossHosts() throws Exception {
        server.file("/objects/f", BODY);
        // Hop 2 names another public host; only the rewrite rule makes it reachable.
        HttpFetcher f = new HttpFetcher(fastSettings(), UrlRewriter.of(List.of(
                "https://mirror.example=" + server.base(), "https://objects.example=" + server.base() + "/objects")));
        server.redirect("/a", "/b");
        server.route("/b", r -> LoopbackServer.Reply.redirect(307, "https://objects.example/f"));
        List<long[]> progress = new ArrayList<>();
        Path out = dir.resolve("out");
        assertEquals(BODY.length, f.download(url("/a"), out, (u, n, t) -> progress.add(new long[] {n, t})));
        assertArrayEquals(BODY, Files.readAllBytes(out));
        assertEquals(List.of("/a", "/b", "/objects/f"), server.requests().stream().map(LoopbackServer.Request::path).toList());
        long[] last = progress.get(progress.size() - 1);
        assertEquals(BODY.length, last[0]);
        assertEquals(BODY.length, last[1]);
        assertEquals(0, progress.get(0)[0]);
    }

    @Test
    void redirectLoopIsDetected() {
        server.redirect("/x", "/y");
        server.redirect("/y", "https://mirror.example/x");
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/x"), 1000));
        assertTrue(e.getMessage().startsWith("https://mirror.example/x: redirect loop: " + server.base() + "/x -> "
                + server.base() + "/y -> " + server.base() + "/x"), e.getMessage());
        assertEquals(2, server.requests().size(), "a loop is not retried");
    }

    @Test
    void tooManyRedirects() {
        for (int i = 0; i < 15; i++) {
            server.redirect("/r" + i, "/r" + (i + 1));
        }
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/r0"), 1000));
        assertTrue(e.getMessage().contains("more than 10 redirects"), e.getMessage());
    }

    @Test
    void notFoundNamesUrlAndStatusAndIsNotRetried() {
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/missing"), 1000));
        assertEquals("https://mirror.example/missing (requested as " + server.base() + "/missing): HTTP 404 (not found)",
                e.getMessage());
        assertEquals(404, e.status().getAsInt());
        assertEquals(1, server.requests().size());
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() throws Exception {
        server.file("/f", BODY).fail("/f", Fault.STATUS_503, Fault.STATUS_503);
        assertArrayEquals(BODY, fetcher.fetchBytes(url("/f"), BODY.length));
        assertEquals(3, server.requests("/f").size());
    }

    @Test
    void retryAfterAsDateIsTolerated() throws Exception {
        server.route("/d", r -> LoopbackServer.Reply.status(503, java.util.Map.of("Retry-After",
                "Wed, 21 Oct 2015 07:28:00 GMT"), "busy"));
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/d"), 10));
        assertEquals(503, e.status().getAsInt());
        assertEquals(4, server.requests("/d").size());
    }

    @Test
    void persistentServerErrorGivesUpWithStatus() {
        server.file("/f", BODY).fail("/f", Fault.STATUS_503, Fault.STATUS_503, Fault.STATUS_503, Fault.STATUS_503);
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/f"), BODY.length));
        assertTrue(e.getMessage().endsWith(": HTTP 503 (gave up after 4 attempts)"), e.getMessage());
        assertEquals(503, e.status().getAsInt());
    }

    @Test
    void bodyCutShortResumesWithRange() throws Exception {
        server.file("/f", BODY).fail("/f", Fault.CUT_SHORT);
        Path out = dir.resolve("out");
        fetcher.download(url("/f"), out, ProgressListener.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(out));
        List<LoopbackServer.Request> reqs = server.requests("/f");
        assertEquals(2, reqs.size());
        assertNull(reqs.get(0).header("Range"));
        String range = reqs.get(1).header("Range");
        assertTrue(range != null && range.matches("bytes=[1-9]\\d*-"), "resumed with " + range);
        assertTrue(reqs.get(1).header("If-Range") != null, "resume is conditional on the ETag");
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        // A route without range support: the second answer is a full 200 that replaces the partial body.
        server.route("/f", r -> new LoopbackServer.Reply(200, java.util.Map.of(), BODY, false)).fail("/f", Fault.CUT_SHORT);
        Path out = dir.resolve("out");
        fetcher.download(url("/f"), out, ProgressListener.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(out));
        assertTrue(server.requests("/f").get(1).header("Range") != null);
    }

    @Test
    void stalledBodyHitsReadTimeoutAndIsRetried() throws Exception {
        server.file("/f", BODY).fail("/f", Fault.STALL_BODY);
        assertArrayEquals(BODY, fetcher.fetchBytes(url("/f"), BODY.length));
        assertEquals(2, server.requests("/f").size());
    }

    @Test
    void stalledHeadersHitReadTimeoutEveryTime() {
        server.file("/f", BODY).fail("/f", Fault.STALL_HEADERS, Fault.STALL_HEADERS);
        HttpFetcher once = new HttpFetcher(fastSettings().withRetries(1, Duration.ofMillis(10)),
                UrlRewriter.of(List.of("https://mirror.example=" + server.base())));
        FetchException e = assertThrows(FetchException.class, () -> once.fetchBytes(url("/f"), BODY.length));
        assertTrue(e.getMessage().contains("timed out") && e.getMessage().endsWith("(gave up after 2 attempts)"),
                e.getMessage());
    }

    @Test
    void contentLengthLongerThanBodyIsTruncationAndFails() {
        server.route("/f", r -> new LoopbackServer.Reply(200, java.util.Map.of(), BODY, false)).fail("/f", Fault.LENGTH_TOO_LONG, Fault.LENGTH_TOO_LONG, Fault.LENGTH_TOO_LONG,
                Fault.LENGTH_TOO_LONG);
        FetchException e = assertThrows(FetchException.class, () -> fetcher.download(url("/f"), dir.resolve("o"),
                ProgressListener.NONE));
        assertTrue(e.getMessage().contains("body cut short after " + BODY.length + " of " + (BODY.length + 100) + " bytes")
                && e.getMessage().endsWith("(gave up after 4 attempts)"), e.getMessage());
        assertTrue(e.status().isEmpty(), "a truncated body is not an HTTP status failure");
        assertEquals(4, server.requests("/f").size());
    }

    @Test
    void resumeRefusedWith416StartsOver() throws Exception {
        // The announced length lies once; the resume request then asks beyond the real end.
        server.file("/f", BODY).fail("/f", Fault.LENGTH_TOO_LONG);
        Path out = dir.resolve("out");
        fetcher.download(url("/f"), out, ProgressListener.NONE);
        assertArrayEquals(BODY, Files.readAllBytes(out));
        assertEquals(3, server.requests("/f").size());
    }

    @Test
    void contentLengthShorterThanBodyGivesFewerBytes() throws Exception {
        // HTTP cannot tell: only verification catches it (see ArtifactFetcherTest).
        server.file("/f", BODY).fail("/f", Fault.LENGTH_TOO_SHORT);
        assertEquals(BODY.length - 10, fetcher.fetchBytes(url("/f"), BODY.length).length);
    }

    @Test
    void sizeLimitRefusesLargerBodies() throws Exception {
        server.file("/f", BODY);
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/f"), 1000));
        assertTrue(e.getMessage().contains("announces " + BODY.length + " bytes, more than the limit of 1000"),
                e.getMessage());
        // Without Content-Length the limit applies while reading.
        server.route("/chunked", r -> new LoopbackServer.Reply(200,
                java.util.Map.of("Transfer-Encoding", "chunked"), BODY, false));
        HttpFetcher small = new HttpFetcher(fastSettings().withMaxBytes(1000),
                UrlRewriter.of(List.of("https://mirror.example=" + server.base())));
        FetchException c = assertThrows(FetchException.class,
                () -> small.download(url("/chunked"), dir.resolve("o"), ProgressListener.NONE));
        assertTrue(c.getMessage().contains("body exceeds the limit of 1000 bytes"), c.getMessage());
        // Within the limit, a chunked body arrives whole, with an unknown total in the progress reports.
        List<long[]> progress = new ArrayList<>();
        fetcher.download(url("/chunked"), dir.resolve("c"), (u, n, t) -> progress.add(new long[] {n, t}));
        assertEquals(BODY.length, progress.get(progress.size() - 1)[0]);
        assertTrue(progress.stream().allMatch(p -> p[1] == -1));
        assertThrows(IllegalArgumentException.class, () -> fastSettings().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void rewriteToFileReadsAMirrorOnDisk() throws Exception {
        Path mirror = Files.createDirectories(dir.resolve("mirror/releases"));
        Files.write(mirror.resolve("f"), BODY);
        HttpFetcher f = new HttpFetcher(fastSettings(), UrlRewriter.of(List.of("https://mirror.example="
                + dir.resolve("mirror").toUri().toString().replaceAll("/$", ""))));
        List<Long> progress = new ArrayList<>();
        Path out = dir.resolve("out");
        f.download(url("/releases/f"), out, (u, n, t) -> progress.add(n));
        assertArrayEquals(BODY, Files.readAllBytes(out));
        assertEquals(BODY.length, progress.get(progress.size() - 1));
        FetchException missing = assertThrows(FetchException.class, () -> f.fetchBytes(url("/releases/none"), 10));
        assertTrue(missing.getMessage().endsWith("/mirror/releases/none): no such file"), missing.getMessage());
        assertThrows(FetchException.class, () -> f.fetchBytes(url("/releases/f"), 10));
    }

    @Test
    void serverRedirectNeverLeadsToTheLocalDisk() {
        server.redirect("/evil", "file:///etc/passwd");
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetchBytes(url("/evil"), 100_000));
        assertTrue(e.getMessage().contains("unsupported URL"), e.getMessage());
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HttpFetcher f = new HttpFetcher(fastSettings(), UrlRewriter.of(List.of("https://gone.example=http://127.0.0.1:" + port)));
        FetchException e = assertThrows(FetchException.class, () -> f.fetchBytes(URI.create("https://gone.example/x"), 10));
        assertTrue(e.getMessage().startsWith("https://gone.example/x (requested as http://127.0.0.1:" + port
                + "/x): connection failed: ConnectException") && e.getMessage().endsWith("(gave up after 4 attempts)"),
                e.getMessage());
        assertTrue(e.status().isEmpty());
    }
}
