package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The human lines of every kind of evidence, and the parts each kind must have. */
class EvidenceTest {
    private static final String URL = "https://example.org/a.tar.gz";
    private static final String HEX = "ab".repeat(32);
    private static final String FPR = "D1304B5389A61DEF2AAC3DE38DD8A31157380D80";
    private static final SignatureCheck SIGNATURE = new SignatureCheck(FPR, FPR, List.of("A <a@example.org>"),
            Instant.parse("2025-01-02T03:04:05Z"), URL + ".asc");

    @Test
    void describesEachKind() {
        Checksum sums = new Checksum(HashAlgorithm.SHA256, HEX, URL + ".sha256sum");
        assertEquals(URL + ": sha256 " + HEX + " matches " + URL + ".sha256sum",
                Evidence.checksumFile(URL, sums, Optional.empty()).describe());
        Evidence signed = Evidence.checksumFile(URL, sums, Optional.of(SIGNATURE));
        assertEquals(URL + ": sha256 " + HEX + " matches " + URL + ".sha256sum, signed by " + FPR, signed.describe());
        assertEquals(Optional.of(FPR), signed.signerFingerprint());
        Evidence detached = Evidence.detachedSignature(URL, SIGNATURE);
        assertEquals(URL + ".asc: good signature by " + FPR + " A <a@example.org> made 2025-01-02T03:04:05Z",
                detached.describe());
        assertEquals(Optional.of(URL + ".asc"), detached.reference());
        Evidence asset = Evidence.releaseAssetDigest(URL, Checksum.parseDigest("sha256:" + HEX, "GitHub API digest"));
        assertEquals(Evidence.Kind.RELEASE_ASSET_DIGEST, asset.kind());
        assertEquals(URL + ": sha256 " + HEX + " matches GitHub API digest", asset.describe());
        assertEquals("runc v1.3.3: pinned in containerd v2.2.0's script/setup/runc-version",
                Evidence.derivedVersion("runc", "v1.3.3", "pinned in containerd v2.2.0's script/setup/runc-version").describe());
        Checksum given = new Checksum(HashAlgorithm.SHA256, HEX, "the checksum given with --sha256");
        assertEquals("/tmp/a.tar.gz: sha256 " + HEX + " matches the checksum given with --sha256 (in place of " + URL + ")",
                Evidence.localFile("/tmp/a.tar.gz", given, URL).describe());
        Evidence unverified = Evidence.unverified("/tmp/a.tar.gz", "no checksum given", Optional.of(URL));
        assertFalse(unverified.verified());
        assertTrue(asset.verified());
        assertEquals("/tmp/a.tar.gz: local file given in place of " + URL + ", NOT verified (no checksum given)",
                unverified.describe());
        assertEquals(URL + ": NOT verified (--insecure)", Evidence.unverified(URL, "--insecure", Optional.empty()).describe());
    }

    @Test
    void refusesPartsThatDoNotFitTheKind() {
        Checksum c = new Checksum(HashAlgorithm.SHA256, HEX, "x");
        assertThrows(IllegalArgumentException.class, () -> new Evidence(Evidence.Kind.DETACHED_SIGNATURE, URL,
                Optional.of("x"), Optional.of(c), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Evidence(Evidence.Kind.UNVERIFIED, URL,
                Optional.empty(), Optional.of(c), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Evidence(Evidence.Kind.DERIVED_VERSION, "runc",
                Optional.of("x"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
}
