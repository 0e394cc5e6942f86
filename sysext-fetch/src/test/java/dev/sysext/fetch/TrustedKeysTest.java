package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.TestKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {
    private static final TestKey ALICE = TestKey.generate("Alice <alice@example.org>");
    private static final TestKey BOB = TestKey.generate("Bob <bob@example.org>");
    private static final byte[] DATA = "runc binary\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void detachedArmoredAndBinarySignaturesVerify() throws Exception {
        TrustedKeys keys = TrustedKeys.parse(ALICE.armoredPublicKey(), "alice.asc");
        Path file = dir.resolve("runc.amd64");
        Files.write(file, DATA);
        SignatureCheck armored = keys.verifyDetached(file, ALICE.signDetached(DATA, true), "runc.amd64.asc");
        assertEquals(ALICE.fingerprint(), armored.signerFingerprint());
        assertEquals(ALICE.fingerprint(), armored.primaryFingerprint());
        assertEquals(List.of("Alice <alice@example.org>"), armored.userIds());
        assertEquals("runc.amd64.asc", armored.source());
        SignatureCheck binary = TrustedKeys.parse(ALICE.publicKeyring(), "alice.gpg")
                .verifyDetached(DATA, ALICE.signDetached(DATA, false), "runc.amd64.sig");
        assertEquals(ALICE.fingerprint(), binary.signerFingerprint());
    }

    @Test
    void tamperedDataIsRefusedNamingSignerAndSource() throws Exception {
        TrustedKeys keys = TrustedKeys.parse(ALICE.armoredPublicKey(), "k");
        byte[] sig = ALICE.signDetached(DATA, true);
        byte[] tampered = DATA.clone();
        tampered[0] ^= 1;
        VerificationException e = assertThrows(VerificationException.class,
                () -> keys.verifyDetached(tampered, sig, "https://x/runc.amd64.asc"));
        assertEquals("https://x/runc.amd64.asc: BAD signature by key " + ALICE.fingerprint()
                + ": the signed data or the signature was altered", e.getMessage());
    }

    @Test
    void signatureByUntrustedKeyIsRefused() throws Exception {
        TrustedKeys keys = TrustedKeys.parse(ALICE.armoredPublicKey(), "k");
        VerificationException e = assertThrows(VerificationException.class,
                () -> keys.verifyDetached(DATA, BOB.signDetached(DATA, true), "s.asc"));
        assertEquals("s.asc: signed by key " + BOB.fingerprint() + ", which is not among the trusted keys",
                e.getMessage());
    }

    @Test
    void signatureMadeAfterTheKeyExpiredIsRefused() throws Exception {
        Instant created = Instant.now().minusSeconds(10 * 86400);
        TestKey old = TestKey.generate("Old <old@example.org>", created, 86400);
        TrustedKeys keys = TrustedKeys.parse(old.armoredPublicKey(), "k");
        VerificationException e = assertThrows(VerificationException.class,
                () -> keys.verifyDetached(DATA, old.signDetached(DATA, true), "s.asc"));
        assertTrue(e.getMessage().startsWith("s.asc: signature by key " + old.fingerprint() + " refused: key "
                + old.fingerprint() + " had expired (" + created.plusSeconds(86400).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + ") when the signature was made"), e.getMessage());
    }

    @Test
    void keyExpiredSinceSigningIsAcceptedLikeGpgvUnlessRefusedExplicitly() throws Exception {
        Instant created = Instant.now().minusSeconds(10 * 86400);
        TestKey old = TestKey.generate("Old <old@example.org>", created, 86400);
        byte[] sig = old.signDetachedAt(DATA, created.plusSeconds(3600), true);
        TrustedKeys keys = TrustedKeys.parse(old.armoredPublicKey(), "k");
        assertEquals(old.fingerprint(), keys.verifyDetached(DATA, sig, "s.asc").signerFingerprint());
        VerificationException e = assertThrows(VerificationException.class,
                () -> keys.refusingKeysExpiredNow().verifyDetached(DATA, sig, "s.asc"));
        assertTrue(e.getMessage().contains("key " + old.fingerprint() + " expired on "), e.getMessage());
    }

    @Test
    void revokedKeyIsRefused() throws Exception {
        TestKey revoked = TestKey.generate("Gone <gone@example.org>").revoked();
        TrustedKeys keys = TrustedKeys.parse(revoked.armoredPublicKey(), "k");
        VerificationException e = assertThrows(VerificationException.class,
                () -> keys.verifyDetached(DATA, revoked.signDetached(DATA, false), "s.sig"));
        assertEquals("s.sig: signature by key " + revoked.fingerprint() + " refused: key " + revoked.fingerprint()
                + " is revoked", e.getMessage());
    }

    @Test
    void runcStyleKeyringWithProseBetweenBlocksAndPinning() throws Exception {
        Path ring = dir.resolve("runc.keyring");
        Files.write(ring, TestKey.runcStyleKeyring(ALICE, BOB));
        TrustedKeys all = TrustedKeys.load(ring);
        assertEquals(Set.of(ALICE.fingerprint(), BOB.fingerprint()), all.fingerprints());
        assertEquals(BOB.fingerprint(), all.verifyDetached(DATA, BOB.signDetached(DATA, true), "s").signerFingerprint());
        // Pinned to Alice (written with spaces, lower case, as people copy fingerprints): Bob is out.
        String spaced = ALICE.fingerprint().toLowerCase().replaceAll("(.{4})", "$1 ");
        TrustedKeys pinned = all.pinned(List.of(spaced));
        assertEquals(Set.of(ALICE.fingerprint()), pinned.fingerprints());
        assertThrows(VerificationException.class, () -> pinned.verifyDetached(DATA, BOB.signDetached(DATA, true), "s"));
        VerificationException none = assertThrows(VerificationException.class,
                () -> all.pinned(List.of("0123456789ABCDEF0123456789ABCDEF01234567")));
        assertTrue(none.getMessage().startsWith(ring + ": holds none of the pinned keys 0123456789ABCDEF0123456789ABCDEF01234567"),
                none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> all.pinned(List.of("not-a-fingerprint")));
    }

    @Test
    void garbageIsRefusedClearly() throws Exception {
        VerificationException k = assertThrows(VerificationException.class,
                () -> TrustedKeys.parse(bytes("hello"), "keys.txt"));
        assertTrue(k.getMessage().startsWith("keys.txt: not an OpenPGP keyring"), k.getMessage());
        TrustedKeys keys = TrustedKeys.parse(ALICE.publicKeyring(), "k");
        VerificationException s = assertThrows(VerificationException.class,
                () -> keys.verifyDetached(DATA, bytes("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n"), "x.asc"));
        assertTrue(s.getMessage().startsWith("x.asc: "), s.getMessage());
    }

    // runc.sha256sum as upstream ships it: hash lines, clear-signed.
    private static final String SUMS = "a".repeat(64) + "  runc.amd64\n" + "b".repeat(64) + "  runc.arm64\n"
            + "-- a line that needs dash-escaping\n" + "trailing spaces   \n";

    @Test
    void clearSignedTextVerifiesAndOnlySignedTextIsReturned() throws Exception {
        TrustedKeys keys = TrustedKeys.parse(ALICE.armoredPublicKey(), "k");
        byte[] doc = ALICE.clearSign(SUMS);
        assertTrue(new String(doc, StandardCharsets.UTF_8).contains("\n- -- a line"), "dash-escaped");
        ClearSignedText t = keys.verifyClearSigned(doc, "runc.sha256sum");
        assertEquals(SUMS.replace("trailing spaces   ", "trailing spaces"), t.text());
        assertEquals(ALICE.fingerprint(), t.signature().primaryFingerprint());
        assertEquals("a".repeat(64), ChecksumFile.parse(t.text(), "runc.sha256sum").expectedFor("runc.amd64").hex());
        // Trailing whitespace is outside the signature by the framework's rules.
        String moved = new String(doc, StandardCharsets.UTF_8).replace("runc.arm64\n", "runc.arm64  \t\n");
        assertEquals(t.text(), keys.verifyClearSigned(bytes(moved), "s").text());
        // CRLF line endings (a file that went through Windows) still verify.
        assertEquals(t.text(), keys.verifyClearSigned(bytes(new String(doc, StandardCharsets.UTF_8)
                .replace("\n", "\r\n")), "s").text());
    }

    @Test
    void clearSignTamperingIsRefused() throws Exception {
        TrustedKeys keys = TrustedKeys.parse(ALICE.armoredPublicKey(), "k");
        String doc = new String(ALICE.clearSign(SUMS), StandardCharsets.UTF_8);
        String sigBegin = "-----BEGIN PGP SIGNATURE-----";

        VerificationException changed = assertThrows(VerificationException.class,
                () -> keys.verifyClearSigned(bytes(doc.replace("a".repeat(64), "c".repeat(64))), "runc.sha256sum"));
        assertTrue(changed.getMessage().startsWith("runc.sha256sum: BAD signature by key " + ALICE.fingerprint()),
                changed.getMessage());
        // An added line inside the signed block.
        assertThrows(VerificationException.class, () -> keys.verifyClearSigned(
                bytes(doc.replace(sigBegin, "d".repeat(64) + "  evil\n" + sigBegin)), "s"));
        // Unsigned text around the block is refused rather than ignored.
        VerificationException after = assertThrows(VerificationException.class,
                () -> keys.verifyClearSigned(bytes(doc + "e".repeat(64) + "  runc.amd64\n"), "s"));
        assertTrue(after.getMessage().contains("is not covered by it"), after.getMessage());
        assertThrows(VerificationException.class, () -> keys.verifyClearSigned(bytes("hi\n" + doc), "s"));
        // Dash-escaping removed: the framework forbids a bare '-' line start.
        VerificationException dash = assertThrows(VerificationException.class,
                () -> keys.verifyClearSigned(bytes(doc.replace("- -- a line", "-- a line")), "s"));
        assertTrue(dash.getMessage().contains("not dash-escaped"), dash.getMessage());
        // A Hash: header that does not match the signature's hash.
        assertThrows(VerificationException.class,
                () -> keys.verifyClearSigned(bytes(doc.replace("Hash: SHA256", "Hash: SHA512")), "s"));
        // Signed by someone else.
        assertThrows(VerificationException.class,
                () -> keys.verifyClearSigned(BOB.clearSign(SUMS), "s"));
    }
}
