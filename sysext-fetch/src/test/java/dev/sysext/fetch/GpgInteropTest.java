package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures made by the real gpg verify in our code, and ours verify with gpgv. */
class GpgInteropTest {
    private static final String SUMS = "a".repeat(64) + "  runc.amd64\n" + "b".repeat(64) + "  runc.arm64\n"
            + "-----not a header, dash-escaped by gpg\n" + "trailing whitespace \t \n" + "\n" + "last line\n";

    @TempDir
    static Path home;
    @TempDir
    Path dir;

    private static String primary;
    private static String rsaSubkey;

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("GNUPGHOME", home.toString());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String gpg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertEquals(0, r.exit, "gpg " + String.join(" ", args) + ":\n" + r.out);
        return r.out;
    }

    private static List<String> fingerprints(String uid) throws Exception {
        List<String> fprs = new ArrayList<>();
        for (String line : gpg("--with-colons", "--list-keys", uid).split("\n")) {
            if (line.startsWith("fpr:")) {
                fprs.add(line.split(":")[9]);
            }
        }
        return fprs;
    }

    @BeforeAll
    static void keys() throws Exception {
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        gpg("--quick-gen-key", "Gpg Signer <gpg@example.org>", "ed25519", "sign", "never");
        primary = fingerprints("gpg@example.org").get(0);
        gpg("--quick-add-key", primary, "rsa2048", "sign", "never");
        rsaSubkey = fingerprints("gpg@example.org").get(1);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"));
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private TrustedKeys exported(String fpr, boolean armored) throws Exception {
        Path out = dir.resolve("export-" + armored);
        if (armored) {
            gpg("--armor", "--output", out.toString(), "--export", fpr);
        } else {
            gpg("--output", out.toString(), "--export", fpr);
        }
        return TrustedKeys.load(out);
    }

    @Test
    void gpgDetachedArmoredAndBinarySignaturesVerify() throws Exception {
        Path data = write("runc.amd64", "pretend runc\n");
        gpg("--local-user", primary + "!", "--armor", "--detach-sign", "--output", data + ".asc", data.toString());
        gpg("--local-user", primary + "!", "--detach-sign", "--output", data + ".sig", data.toString());
        SignatureCheck a = exported(primary, true).verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "asc");
        assertEquals(primary, a.signerFingerprint());
        assertEquals(List.of("Gpg Signer <gpg@example.org>"), a.userIds());
        SignatureCheck b = exported(primary, false).verifyDetached(data, Files.readAllBytes(Path.of(data + ".sig")), "sig");
        assertEquals(primary, b.primaryFingerprint());
        // The same signature over other bytes fails.
        Files.writeString(data, "pretend runc!\n");
        assertThrows(VerificationException.class,
                () -> exported(primary, true).verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "asc"));
    }

    @Test
    void gpgSignatureByRsaSubkeyReportsSubkeyAndPrimary() throws Exception {
        Path data = write("blob", "x".repeat(100_000));
        gpg("--local-user", rsaSubkey + "!", "--armor", "--detach-sign", "--output", data + ".asc", data.toString());
        SignatureCheck c = exported(primary, true).verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "asc");
        assertEquals(rsaSubkey, c.signerFingerprint());
        assertEquals(primary, c.primaryFingerprint());
        // Pinning the primary trusts its subkeys.
        assertEquals(rsaSubkey, exported(primary, false).pinned(List.of(primary))
                .verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "asc").signerFingerprint());
        // RSA goes through the JDK's RSA (ContentVerifiers): other bytes under the same signature fail.
        Files.writeString(data, "x".repeat(99_999) + "y");
        VerificationException e = assertThrows(VerificationException.class,
                () -> exported(primary, true).verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "asc"));
        assertEquals("asc: BAD signature by key " + rsaSubkey + ": the signed data or the signature was altered",
                e.getMessage());
    }

    @Test
    void gpgClearSignedDocumentVerifiesAndTamperingFails() throws Exception {
        Path sums = write("runc.sha256sum.in", SUMS);
        Path signed = dir.resolve("runc.sha256sum");
        gpg("--local-user", primary + "!", "--clear-sign", "--output", signed.toString(), sums.toString());
        String doc = Files.readString(signed);
        assertTrue(doc.contains("\n- -----not a header"), "gpg dash-escaped the line:\n" + doc);
        TrustedKeys keys = exported(primary, true);
        ClearSignedText t = keys.verifyClearSigned(doc.getBytes(StandardCharsets.UTF_8), "runc.sha256sum");
        assertEquals(SUMS.replace("trailing whitespace \t \n", "trailing whitespace\n"), t.text());
        assertEquals(primary, t.signature().primaryFingerprint());
        assertThrows(VerificationException.class, () -> keys.verifyClearSigned(
                doc.replace("a".repeat(64), "f".repeat(64)).getBytes(StandardCharsets.UTF_8), "runc.sha256sum"));
    }

    @Test
    void gpgKeyExpiredSinceSigningIsAcceptedLikeGpgvOrRefusedOnRequest() throws Exception {
        // Made and used in 2020 with a one-day validity: long expired now. gpgv still says good.
        gpg("--faked-system-time", "20200101T000000!", "--quick-gen-key", "Expired <expired@example.org>", "ed25519",
                "sign", "1d");
        String fpr = fingerprints("expired@example.org").get(0);
        Path data = write("d", "data\n");
        gpg("--faked-system-time", "20200101T010000!", "--local-user", fpr, "--armor", "--detach-sign",
                "--output", data + ".asc", data.toString());
        Path ring = dir.resolve("expired.gpg");
        gpg("--output", ring.toString(), "--export", fpr);
        Result gpgv = run(List.of("gpgv", "--keyring", ring.toString(), data + ".asc", data.toString()));
        assertEquals(0, gpgv.exit, gpgv.out);
        TrustedKeys keys = TrustedKeys.load(ring);
        assertEquals(fpr, keys.verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "d.asc").signerFingerprint());
        VerificationException e = assertThrows(VerificationException.class, () -> keys.refusingKeysExpiredNow()
                .verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "d.asc"));
        assertTrue(e.getMessage().contains("key " + fpr + " expired on 2020-01-02"), e.getMessage());
    }

    @Test
    void gpgRevokedKeyIsRefused() throws Exception {
        gpg("--quick-gen-key", "Revoked <revoked@example.org>", "ed25519", "sign", "never");
        String fpr = fingerprints("revoked@example.org").get(0);
        Path data = write("d", "data\n");
        gpg("--local-user", fpr, "--armor", "--detach-sign", "--output", data + ".asc", data.toString());
        // gpg leaves a revocation certificate with its armor line defused by a leading ':'.
        Path cert = home.resolve("openpgp-revocs.d").resolve(fpr + ".rev");
        Path usable = dir.resolve("revoke.asc");
        Files.writeString(usable, Files.readString(cert).replace(":-----BEGIN", "-----BEGIN"));
        gpg("--import", usable.toString());
        VerificationException e = assertThrows(VerificationException.class,
                () -> exported(fpr, true).verifyDetached(data, Files.readAllBytes(Path.of(data + ".asc")), "d.asc"));
        assertTrue(e.getMessage().contains("key " + fpr + " is revoked"), e.getMessage());
    }

    @Test
    void ourSignaturesVerifyWithGpgv() throws Exception {
        TestKey key = TestKey.generate("Ours <ours@example.org>");
        Path ring = dir.resolve("pub.gpg");
        Files.write(ring, key.publicKeyring());
        Path data = write("runc.amd64", "pretend runc\n");
        Files.write(Path.of(data + ".asc"), key.signDetached(Files.readAllBytes(data), true));
        Files.write(Path.of(data + ".sig"), key.signDetached(Files.readAllBytes(data), false));
        Path doc = dir.resolve("runc.sha256sum");
        Files.write(doc, key.clearSign(SUMS));

        Result asc = run(List.of("gpgv", "--keyring", ring.toString(), data + ".asc", data.toString()));
        assertEquals(0, asc.exit, asc.out);
        assertTrue(asc.out.contains("Good signature from \"Ours <ours@example.org>\""), asc.out);
        Result sig = run(List.of("gpgv", "--keyring", ring.toString(), data + ".sig", data.toString()));
        assertEquals(0, sig.exit, sig.out);
        Result clear = run(List.of("gpgv", "--keyring", ring.toString(), doc.toString()));
        assertEquals(0, clear.exit, clear.out);
        // gpg reads the same text out of our clear-signed document as we do.
        Path plain = dir.resolve("plain");
        gpg("--no-default-keyring", "--keyring", ring.toString(), "--trust-model", "always", "--output",
                plain.toString(), "--decrypt", doc.toString());
        assertEquals(TrustedKeys.parse(key.publicKeyring(), "k")
                .verifyClearSigned(Files.readAllBytes(doc), "doc").text(), Files.readString(plain));

        // And gpgv refuses them once tampered with: the check above can fail.
        Files.writeString(doc, Files.readString(doc).replace("runc.arm64", "runc.arm65"));
        assertNotEquals(0, run(List.of("gpgv", "--keyring", ring.toString(), doc.toString())).exit);
        Files.writeString(data, "tampered\n");
        assertNotEquals(0, run(List.of("gpgv", "--keyring", ring.toString(), data + ".asc", data.toString())).exit);
    }
}
