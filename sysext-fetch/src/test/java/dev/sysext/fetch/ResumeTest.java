package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.LoopbackServer.Fault;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download cut short in one run continues in the next from the cache's partial file. */
class ResumeTest {
    private static final byte[] BODY = new byte[300_000];
    private static final byte[] CHANGED = new byte[300_000];

    static {
        new Random(11).nextBytes(BODY);
        new Random(12).nextBytes(CHANGED);
    }

    private LoopbackServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One run of the tool: a fresh fetcher and cache on the same directory. */
    private Path run(int retries, byte[] expected) throws IOException {
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetries(retries, Duration.ofMillis(10)), UrlRewriter.of(List.of()));
        URI url = server.uri("/f");
        return new DownloadCache(dir).obtain(url, "f.tar.gz", tmp -> fetcher.downloadResuming(url, tmp, ProgressListener.NONE),
                candidate -> {
                    if (!Arrays.equals(expected, Files.readAllBytes(candidate))) {
                        throw new VerificationException(candidate + ": not the expected bytes");
                    }
                });
    }

    private Path entry() {
        return new DownloadCache(dir).pathFor(server.uri("/f"), "f.tar.gz").getParent();
    }

    private List<String> entryNames() throws IOException {
        try (Stream<Path> s = Files.list(entry())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The first run's connection is cut half way; it fails and leaves the partial file and its validator. */
    private long interruptedFirstRun(byte[] body) throws IOException {
        server.fail("/f", Fault.CUT_SHORT);
        assertThrows(FetchException.class, () -> run(0, body));
        Path partial = entry().resolve(".f.tar.gz.partial");
        long have = Files.size(partial);
        assertTrue(have > 0 && have < body.length, "partial holds " + have);
        assertArrayEquals(Arrays.copyOf(body, (int) have), Files.readAllBytes(partial));
        assertEquals(List.of(".f.tar.gz.partial", ".f.tar.gz.partial.validator", ".lock"), entryNames());
        return have;
    }

    @Test
    void interruptedDownloadResumesInTheNextRun() throws Exception {
        server.file("/f", BODY);
        long have = interruptedFirstRun(BODY);
        String etag = server.requests("/f").get(0).header("If-Range");
        assertNull(etag);
        Path p = run(0, BODY);
        assertArrayEquals(BODY, Files.readAllBytes(p));
        List<LoopbackServer.Request> reqs = server.requests("/f");
        assertEquals(2, reqs.size());
        assertEquals("bytes=" + have + "-", reqs.get(1).header("Range"));
        assertEquals("\"" + LoopbackServer.sha256(BODY).substring(0, 16) + "\"", reqs.get(1).header("If-Range"));
        assertEquals(List.of(".lock", "f.tar.gz"), entryNames());
    }

    @Test
    void changedCopyOnTheServerStartsOver() throws Exception {
        server.file("/f", BODY);
        interruptedFirstRun(BODY);
        // A new release under the same URL: another ETag, so If-Range makes the server send all of it.
        server.file("/f", CHANGED);
        Path p = run(0, CHANGED);
        assertArrayEquals(CHANGED, Files.readAllBytes(p));
        assertTrue(server.requests("/f").get(1).header("If-Range") != null);
        assertEquals(List.of(".lock", "f.tar.gz"), entryNames());
    }

    @Test
    void contentRangeThatDoesNotFitStartsOver() throws Exception {
        server.file("/f", BODY);
        long have = interruptedFirstRun(BODY);
        // A server that answers a range request with a range starting elsewhere.
        server.route("/f", r -> r.header("Range") == null ? LoopbackServer.Reply.bytes(BODY)
                : new LoopbackServer.Reply(206, Map.of("Content-Range", "bytes 0-99/" + BODY.length), Arrays.copyOf(BODY, 100), false));
        Path p = run(1, BODY);
        assertArrayEquals(BODY, Files.readAllBytes(p));
        List<LoopbackServer.Request> reqs = server.requests("/f");
        assertEquals("bytes=" + have + "-", reqs.get(1).header("Range"));
        assertNull(reqs.get(2).header("Range"));
    }

    @Test
    void withoutAValidatorTheNextRunStartsOver() throws Exception {
        server.route("/f", r -> new LoopbackServer.Reply(200, Map.of(), BODY, false));
        server.fail("/f", Fault.CUT_SHORT);
        assertThrows(FetchException.class, () -> run(0, BODY));
        assertEquals(List.of(".f.tar.gz.partial", ".lock"), entryNames());
        assertArrayEquals(BODY, Files.readAllBytes(run(0, BODY)));
        assertNull(server.requests("/f").get(1).header("Range"));
    }

    @Test
    void partialThatFailsVerificationIsDropped() throws Exception {
        server.file("/f", BODY);
        interruptedFirstRun(BODY);
        // The next run expects other bytes (say the checksum was corrected): verification fails and
        // nothing of the download stays, so the run after starts from byte 0.
        assertThrows(VerificationException.class, () -> run(0, CHANGED));
        assertEquals(List.of(".lock"), entryNames());
        assertFalse(Files.exists(entry().resolve(".f.tar.gz.partial.validator")));
    }
    /** One run through {@link ArtifactFetcher}, checked against the SHA-256 that {@code sums} publishes. */
    private VerifiedArtifact fetchChecked(int retries) throws IOException {
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withRetries(retries, Duration.ofMillis(10)), UrlRewriter.of(List.of()));
        ArtifactRequest request = new ArtifactRequest(server.uri("/f"), "f.tar.gz", List.of())
                .verifiedBy(Verification.checksumFile(server.uri("/sums")));
        return new ArtifactFetcher(fetcher, new DownloadCache(dir)).fetch(request, ProgressListener.NONE);
    }

    @Test
    void resumedDownloadHashesLikeAWholeOne() throws Exception {
        server.file("/f", BODY);
        long have = interruptedFirstRun(BODY);
        Path partial = entry().resolve(".f.tar.gz.partial");
        HttpFetcher fetcher = new HttpFetcher(HttpSettings.defaults(), UrlRewriter.of(List.of()));
        java.security.MessageDigest resumed = HashAlgorithm.SHA256.newDigest();
        java.security.MessageDigest sha512 = HashAlgorithm.SHA512.newDigest();
        assertEquals(BODY.length, fetcher.downloadResuming(server.uri("/f"), partial, ProgressListener.NONE,
                List.of(resumed, sha512)));
        assertEquals("bytes=" + have + "-", server.requests("/f").get(1).header("Range"));
        assertEquals(LoopbackServer.sha256(BODY), java.util.HexFormat.of().formatHex(resumed.digest()));
        assertEquals(Checksum.hash(HashAlgorithm.SHA512, BODY), java.util.HexFormat.of().formatHex(sha512.digest()));
        // A file that was already whole (the server has nothing more to send) hashes the same.
        java.security.MessageDigest whole = HashAlgorithm.SHA256.newDigest();
        fetcher.downloadResuming(server.uri("/f"), partial, ProgressListener.NONE, List.of(whole));
        assertEquals(LoopbackServer.sha256(BODY), java.util.HexFormat.of().formatHex(whole.digest()));
        assertArrayEquals(BODY, Files.readAllBytes(partial));
    }

    @Test
    void resumedDownloadVerifiesItsWholeFile() throws Exception {
        server.file("/f", BODY);
        server.file("/sums", (LoopbackServer.sha256(BODY) + "  f.tar.gz\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long have = interruptedFirstRun(BODY);
        VerifiedArtifact a = fetchChecked(0);
        assertArrayEquals(BODY, Files.readAllBytes(a.path()));
        assertEquals("bytes=" + have + "-", server.requests("/f").get(1).header("Range"));
        assertEquals(LoopbackServer.sha256(BODY), a.evidence().get(0).checksum().orElseThrow().hex());
    }

    @Test
    void tamperedStartOfAResumedDownloadFailsItsChecksum() throws Exception {
        server.file("/f", BODY);
        server.file("/sums", (LoopbackServer.sha256(BODY) + "  f.tar.gz\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        interruptedFirstRun(BODY);
        // The part left by the interrupted run is changed on disk: the hash taken while the rest
        // downloads must include it, read back from the file, so the check fails.
        Path partial = entry().resolve(".f.tar.gz.partial");
        byte[] left = Files.readAllBytes(partial);
        left[7] ^= 1;
        Files.write(partial, left);
        VerificationException e = assertThrows(VerificationException.class, () -> fetchChecked(0));
        assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
        assertEquals(List.of(".lock"), entryNames());
    }
}
