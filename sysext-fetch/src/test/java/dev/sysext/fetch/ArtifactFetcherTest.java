package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.LoopbackServer.Fault;
import dev.sysext.fetch.testing.TestKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "done when": list, download through redirects and faults, verify by checksum and signature. */
class ArtifactFetcherTest {
    private static final String TARBALL = "containerd-static-2.2.0-linux-amd64.tar.gz";
    private static final String RUNC_KEYRING = "opencontainers/runc/main/runc.keyring";
    private static final TestKey MAINTAINER = TestKey.generate("Runc Maintainer <runc@example.org>");
    private static final TestKey OTHER = TestKey.generate("Someone Else <else@example.org>");

    private FakeGitHub github;
    private HttpFetcher fetcher;
    private DownloadCache cache;
    private ArtifactFetcher artifacts;
    private byte[] tarball;
    private byte[] runc;

    @TempDir
    Path cacheDir;

    @BeforeEach
    void start() throws Exception {
        github = FakeGitHub.start();
        fetcher = new HttpFetcher(HttpFetcherTest.fastSettings(), UrlRewriter.of(github.rewriteRules()));
        cache = new DownloadCache(cacheDir);
        artifacts = new ArtifactFetcher(fetcher, cache);
        tarball = new byte[400_000];
        new Random(1).nextBytes(tarball);
        runc = new byte[200_000];
        new Random(2).nextBytes(runc);
        github.release("containerd", "containerd", "v2.2.0")
                .asset(TARBALL, tarball)
                .asset(TARBALL + ".sha256sum", (LoopbackServer.sha256(tarball) + "  " + TARBALL + "\n").getBytes(StandardCharsets.UTF_8));
        github.release("containerd", "containerd", "api/v1.9.0");
        github.release("containerd", "containerd", "v2.2.1-rc.0").prerelease();
        github.release("opencontainers", "runc", "v1.3.3")
                .asset("runc.amd64", runc)
                .asset("runc.amd64.asc", MAINTAINER.signDetached(runc, true))
                .asset("runc.sha256sum", MAINTAINER.clearSign(LoopbackServer.sha256(runc) + "  runc.amd64\n"
                        + "0".repeat(64) + "  runc.arm64\n"));
        github.rawFile(RUNC_KEYRING, TestKey.runcStyleKeyring(OTHER, MAINTAINER));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private ArtifactRequest containerdRequest(Release release) {
        ReleaseAsset asset = release.asset(TARBALL).orElseThrow();
        return ArtifactRequest.of(asset.url())
                .verifiedBy(Verification.checksumFile(URI.create(asset.url() + ".sha256sum")))
                .verifiedBy(Verification.digest(asset.digest().orElseThrow(), "GitHub API digest of " + asset.name()));
    }

    private List<Path> cacheFiles() throws Exception {
        try (Stream<Path> s = Files.walk(cacheDir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).toList();
        }
    }

    @Test
    void containerdFromListingThroughRedirectsAndFaults() throws Exception {
        Release latest = new GitHubReleases(fetcher, Optional.empty())
                .list("containerd", "containerd", ReleaseFilter.defaults()).latest().orElseThrow();
        assertEquals("v2.2.0", latest.tag());
        String object = github.objectPath("containerd", "containerd", "v2.2.0", TARBALL);
        github.server().fail(object, Fault.STATUS_503, Fault.CUT_SHORT, Fault.STALL_BODY);
        github.server().stallMillis(3000);

        VerifiedArtifact a = artifacts.fetch(containerdRequest(latest), ProgressListener.NONE);
        assertArrayEquals(tarball, Files.readAllBytes(a.path()));
        assertEquals(TARBALL, a.path().getFileName().toString());
        assertTrue(a.path().startsWith(cacheDir));
        assertEquals(2, a.evidence().size());
        Evidence sums = a.evidence().get(0);
        String checksumUrl = "https://github.com/containerd/containerd/releases/download/v2.2.0/" + TARBALL + ".sha256sum";
        String sha256 = Checksum.hash(HashAlgorithm.SHA256, tarball);
        assertEquals(Evidence.Kind.CHECKSUM_FILE, sums.kind());
        assertEquals(Optional.of(checksumUrl), sums.reference());
        assertEquals(HashAlgorithm.SHA256, sums.checksum().orElseThrow().algorithm());
        assertEquals(sha256, sums.checksum().orElseThrow().hex());
        assertEquals(Optional.empty(), sums.signature());
        assertTrue(sums.verified());
        assertEquals(sums.subject() + ": sha256 " + sha256 + " matches " + checksumUrl, sums.describe());
        Evidence digest = a.evidence().get(1);
        assertEquals(Evidence.Kind.RELEASE_ASSET_DIGEST, digest.kind());
        assertEquals(sha256, digest.checksum().orElseThrow().hex());
        assertEquals(Optional.of("GitHub API digest of " + TARBALL), digest.reference());
        assertEquals(List.of(a.path()), cacheFiles(), "no temporary file left behind");
        // Every download went github.com -> redirect -> objects host, both through the rewrite rules.
        assertEquals(4, github.server().requests(object).size());
        assertEquals(4, github.server().requests(FakeGitHub.downloadPath("containerd", "containerd", "v2.2.0", TARBALL))
                .size(), "each retry starts again from the github.com URL");

        // Second time: the cached file verifies again and is not downloaded.
        VerifiedArtifact again = artifacts.fetch(containerdRequest(latest), ProgressListener.NONE);
        assertEquals(a.path(), again.path());
        assertEquals(4, github.server().requests(object).size());

        // A cached file that no longer verifies is replaced by a fresh download.
        Files.write(a.path(), new byte[] {1, 2, 3});
        VerifiedArtifact fixed = artifacts.fetch(containerdRequest(latest), ProgressListener.NONE);
        assertArrayEquals(tarball, Files.readAllBytes(fixed.path()));
        assertEquals(5, github.server().requests(object).size());
    }

    @Test
    void runcBySignatureAndSignedChecksumsWithPinnedKeyringFetchedFromRaw() throws Exception {
        TrustedKeys keys = TrustedKeys.fetchPinned(fetcher, URI.create("https://raw.githubusercontent.com/" + RUNC_KEYRING),
                List.of(MAINTAINER.fingerprint()));
        assertEquals(java.util.Set.of(MAINTAINER.fingerprint()), keys.fingerprints());
        String base = "https://github.com/opencontainers/runc/releases/download/v1.3.3/";
        VerifiedArtifact a = artifacts.fetch(ArtifactRequest.of(URI.create(base + "runc.amd64"))
                .verifiedBy(Verification.detachedSignature(URI.create(base + "runc.amd64.asc"), keys))
                .verifiedBy(Verification.signedChecksumFile(URI.create(base + "runc.sha256sum"), keys)),
                ProgressListener.NONE);
        assertArrayEquals(runc, Files.readAllBytes(a.path()));
        Evidence detached = a.evidence().get(0);
        assertEquals(Evidence.Kind.DETACHED_SIGNATURE, detached.kind());
        assertEquals(base + "runc.amd64", detached.subject());
        assertEquals(Optional.of(base + "runc.amd64.asc"), detached.reference());
        assertEquals(Optional.of(MAINTAINER.fingerprint()), detached.signerFingerprint());
        assertTrue(detached.describe().startsWith(base + "runc.amd64.asc: good signature by " + MAINTAINER.fingerprint()),
                detached.describe());
        Evidence signedSums = a.evidence().get(1);
        assertEquals(Evidence.Kind.CHECKSUM_FILE, signedSums.kind());
        assertEquals(Optional.of(base + "runc.sha256sum"), signedSums.reference());
        assertEquals(Optional.of(MAINTAINER.fingerprint()), signedSums.signerFingerprint());
        assertEquals(Checksum.hash(HashAlgorithm.SHA256, runc), signedSums.checksum().orElseThrow().hex());
        assertTrue(signedSums.describe().endsWith(", signed by " + MAINTAINER.fingerprint()), signedSums.describe());

        // Pinned to the other maintainer only: the release signature is refused, nothing is cached.
        Files.delete(a.path());
        TrustedKeys wrong = TrustedKeys.fetchPinned(fetcher, URI.create("https://raw.githubusercontent.com/" + RUNC_KEYRING),
                List.of(OTHER.fingerprint()));
        VerificationException e = assertThrows(VerificationException.class, () -> artifacts.fetch(
                ArtifactRequest.of(URI.create(base + "runc.amd64"))
                        .verifiedBy(Verification.detachedSignature(URI.create(base + "runc.amd64.asc"), wrong)),
                ProgressListener.NONE));
        assertEquals(base + "runc.amd64.asc: signed by key " + MAINTAINER.fingerprint()
                + ", which is not among the trusted keys", e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void trustAnchorFetchesPinnedKeysUnlessTheUserGivesAKeyring(@TempDir Path tmp) throws Exception {
        TrustAnchor anchor = new TrustAnchor(URI.create("https://raw.githubusercontent.com/" + RUNC_KEYRING),
                List.of(MAINTAINER.fingerprint()));
        assertEquals(java.util.Set.of(MAINTAINER.fingerprint()), anchor.resolve(fetcher, Optional.empty()).fingerprints());
        Path mine = tmp.resolve("my.gpg");
        Files.write(mine, OTHER.publicKeyring());
        assertEquals(java.util.Set.of(OTHER.fingerprint()), anchor.resolve(fetcher, Optional.of(mine)).fingerprints());
        assertThrows(IllegalArgumentException.class, () -> new TrustAnchor(URI.create("https://x"), List.of()));
    }

    @Test
    void wrongChecksumNamesBothHashesAndLeavesNothing() throws Exception {
        String bad = "f".repeat(64);
        github.release("containerd", "containerd", "v2.2.2").asset(TARBALL, tarball)
                .asset(TARBALL + ".sha256sum", (bad + "  " + TARBALL + "\n").getBytes(StandardCharsets.UTF_8));
        URI url = FakeGitHub.assetUrl("containerd", "containerd", "v2.2.2", TARBALL);
        VerificationException e = assertThrows(VerificationException.class, () -> artifacts.fetch(
                ArtifactRequest.of(url).verifiedBy(Verification.checksumFile(URI.create(url + ".sha256sum"))),
                ProgressListener.NONE));
        assertEquals(url + ": sha256 mismatch: expected " + bad + " (from " + url + ".sha256sum) but the file has "
                + LoopbackServer.sha256(tarball), e.getMessage());
        assertEquals(List.of(), cacheFiles());
        assertFalse(Files.exists(cache.pathFor(url, TARBALL)));
    }

    @Test
    void shortBodyFromLyingContentLengthFailsVerification() throws Exception {
        Release r = new GitHubReleases(fetcher, Optional.empty())
                .release("containerd", "containerd", "v2.2.0");
        github.server().fail(github.objectPath("containerd", "containerd", "v2.2.0", TARBALL), Fault.LENGTH_TOO_SHORT);
        VerificationException e = assertThrows(VerificationException.class,
                () -> artifacts.fetch(containerdRequest(r), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void githubDigestIsCrossChecked() throws Exception {
        github.release("containerd", "containerd", "v2.2.3").assetWithDigest(TARBALL, tarball, "sha256:" + "e".repeat(64));
        Release r = new GitHubReleases(fetcher, Optional.empty()).release("containerd", "containerd", "v2.2.3");
        ReleaseAsset asset = r.asset(TARBALL).orElseThrow();
        VerificationException e = assertThrows(VerificationException.class,
                () -> artifacts.fetch(ArtifactRequest.forAsset(asset), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("expected " + "e".repeat(64) + " (from the GitHub API's digest of " + TARBALL
                + ")"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
        // Without a digest in the API, forAsset adds nothing, and a request without verification is refused.
        github.release("containerd", "containerd", "v2.2.4").assetWithDigest(TARBALL, tarball, null);
        ReleaseAsset plain = new GitHubReleases(fetcher, Optional.empty()).release("containerd", "containerd", "v2.2.4")
                .asset(TARBALL).orElseThrow();
        assertEquals(Optional.empty(), plain.digest());
        assertThrows(IllegalArgumentException.class,
                () -> artifacts.fetch(ArtifactRequest.forAsset(plain), ProgressListener.NONE));
    }

    @Test
    void missingChecksumEntryMissingSignatureAndNoVerification() throws Exception {
        String base = "https://github.com/opencontainers/runc/releases/download/v1.3.3/";
        TrustedKeys keys = TrustedKeys.parse(MAINTAINER.publicKeyring(), "k");
        github.release("opencontainers", "runc", "v1.3.4").asset("runc.amd64", runc)
                .asset("runc.sha256sum", MAINTAINER.clearSign("0".repeat(64) + "  runc.arm64\n"));
        String base4 = "https://github.com/opencontainers/runc/releases/download/v1.3.4/";
        VerificationException missing = assertThrows(VerificationException.class, () -> artifacts.fetch(
                ArtifactRequest.of(URI.create(base4 + "runc.amd64"))
                        .verifiedBy(Verification.signedChecksumFile(URI.create(base4 + "runc.sha256sum"), keys)),
                ProgressListener.NONE));
        assertEquals(base4 + "runc.sha256sum: no checksum for 'runc.amd64' (1 entry in the file)", missing.getMessage());

        FetchException noSig = assertThrows(FetchException.class, () -> artifacts.fetch(
                ArtifactRequest.of(URI.create(base4 + "runc.amd64"))
                        .verifiedBy(Verification.detachedSignature(URI.create(base4 + "runc.amd64.asc"), keys)),
                ProgressListener.NONE));
        assertEquals(404, noSig.status().getAsInt());
        assertTrue(noSig.getMessage().startsWith(base4 + "runc.amd64.asc (requested as "), noSig.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> artifacts.fetch(ArtifactRequest.of(URI.create(base + "runc.amd64")), ProgressListener.NONE));
        assertEquals(List.of(), cacheFiles());
    }
}
