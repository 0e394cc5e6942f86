package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our keys and signatures checked by the real gpg and gpgv, the way systemd-sysupdate checks them. */
class SigningKeyGpgTest {
    private static final byte[] MANIFEST =
            "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea  demo-1.0.0-x86-64.raw\n"
                    .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static SigningKey newKey(KeyAlgorithm algorithm, String passphrase) {
        return SigningKey.generate("Test Releases <releases@example.com>", algorithm,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), passphrase.toCharArray());
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private Tool.Result gpgv(Path keyring, Path signature, Path data) throws Exception {
        return Tool.run(dir, "gpgv", "--keyring", keyring.toAbsolutePath().toString(),
                signature.toString(), data.toString());
    }

    /** gpg the way systemd-sysupdate runs it: a fresh home, only the import keyring, trust always. */
    private Tool.Result gpgVerify(Path keyring, Path signature, Path data) throws Exception {
        Path home = Files.createTempDirectory(dir, "gnupg");
        return Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--no-default-keyring",
                "--keyring", keyring.toAbsolutePath().toString(), "--trust-model", "always",
                "--verify", signature.toString(), data.toString());
    }

    private void checkSignatures(SigningKey key) throws Exception {
        Path keyring = write("import-pubring.gpg", key.publicKeyring());
        Path manifest = write("SHA256SUMS", MANIFEST);
        Path signature = write("SHA256SUMS.gpg", key.signDetached(new ByteArrayInputStream(MANIFEST), Instant.now()));

        Tool.Result v = gpgv(keyring, signature, manifest);
        assertEquals(0, v.exitCode(), v.output());
        assertTrue(v.output().contains("Good signature from \"Test Releases <releases@example.com>\""), v.output());
        Tool.Result g = gpgVerify(keyring, signature, manifest);
        assertEquals(0, g.exitCode(), g.output());
        assertTrue(g.output().contains(key.fingerprint()), g.output());

        byte[] tampered = MANIFEST.clone();
        tampered[0] = (byte) (tampered[0] == 'a' ? 'b' : 'a');
        Path bad = write("SHA256SUMS.tampered", tampered);
        Tool.Result t = gpgv(keyring, signature, bad);
        assertNotEquals(0, t.exitCode(), t.output());
        assertTrue(t.output().contains("BAD signature"), t.output());
        assertNotEquals(0, gpgVerify(keyring, signature, bad).exitCode());
    }

    @Test
    void gpgvAndGpgVerifyEd25519SignaturesAndRejectATamperedManifest() throws Exception {
        checkSignatures(newKey(KeyAlgorithm.ED25519, ""));
    }

    @Test
    void rsa4096KeysWorkWithGpgToo() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.RSA_4096, "");
        checkSignatures(key);
        Path home = Files.createTempDirectory(dir, "gnupg");
        Path pub = write("pub.asc", key.armoredPublicKey());
        Tool.Result list = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--with-colons",
                "--import-options", "show-only", "--import", pub.toString());
        assertEquals(0, list.exitCode(), list.output());
        // pub:-:4096:1:... is an RSA (algorithm 1) key of 4096 bits.
        assertTrue(list.output().lines().anyMatch(l -> l.startsWith("pub:") && l.contains(":4096:1:")), list.output());
    }

    @Test
    void theKeyringIsBinaryAndAnOtherKeyDoesNotVerify() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.ED25519, "");
        byte[] keyring = key.publicKeyring();
        // An OpenPGP packet tag has the high bit set; armor would start with '-'.
        assertTrue((keyring[0] & 0x80) != 0, "not binary");
        SigningKey other = newKey(KeyAlgorithm.ED25519, "");
        Path manifest = write("SHA256SUMS", MANIFEST);
        Path signature = write("SHA256SUMS.gpg", other.signDetached(new ByteArrayInputStream(MANIFEST), Instant.now()));
        Tool.Result v = gpgv(write("import-pubring.gpg", keyring), signature, manifest);
        assertNotEquals(0, v.exitCode(), v.output());
    }

    @Test
    void aKeyringOfSeveralKeysVerifiesEach() throws Exception {
        SigningKey a = newKey(KeyAlgorithm.ED25519, "");
        SigningKey b = newKey(KeyAlgorithm.ED25519, "");
        // Two keyrings concatenated, as a host with extensions from two publishers needs.
        Path keyring = write("keyring.gpg", concat(PublicKeyring.toBinary(a.armoredPublicKey(), "a"),
                PublicKeyring.toBinary(b.publicKeyring(), "b")));
        assertTrue((Files.readAllBytes(keyring)[0] & 0x80) != 0);
        Path manifest = write("SHA256SUMS", MANIFEST);
        for (SigningKey k : new SigningKey[] {a, b}) {
            Path sig = write("SHA256SUMS.gpg", k.signDetached(new ByteArrayInputStream(MANIFEST), Instant.now()));
            Tool.Result v = gpgv(keyring, sig, manifest);
            assertEquals(0, v.exitCode(), v.output());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublicKeyring.toBinary(a.armoredSecretKey(), "secret.asc"));
        assertTrue(e.getMessage().startsWith("secret.asc: "), e.getMessage());
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] all = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        return all;
    }

    @Test
    void gpgImportsOurSecretAndPublicKeys() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.ED25519, "");
        Path home = Files.createTempDirectory(dir, "gnupg");
        Path secret = write("signing-key.asc", key.armoredSecretKey());
        Path pub = write("signing-key.pub.asc", key.armoredPublicKey());
        assertTrue(new String(key.armoredSecretKey(), StandardCharsets.US_ASCII)
                .startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
        Tool.Result imp = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--import", secret.toString());
        assertEquals(0, imp.exitCode(), imp.output());
        assertTrue(imp.output().contains("secret keys imported: 1"), imp.output());
        Tool.Result impPub = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--import", pub.toString());
        assertEquals(0, impPub.exitCode(), impPub.output());
        Tool.Result listed = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--with-colons",
                "--list-secret-keys");
        assertTrue(listed.output().contains("fpr:::::::::" + key.fingerprint() + ":"), listed.output());
        assertTrue(listed.output().lines().anyMatch(l -> l.startsWith("sec:") && l.contains(":ed25519:")),
                listed.output());

        // gpg signs with the imported key; the signature verifies with our keyring.
        Path data = write("data", MANIFEST);
        Tool.Result sign = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--passphrase", "", "--detach-sign", "-o", "data.sig", data.toString());
        assertEquals(0, sign.exitCode(), sign.output());
        assertEquals(0, gpgv(write("kr.gpg", key.publicKeyring()), dir.resolve("data.sig"), data).exitCode());
    }

    @Test
    void aPassphraseProtectedKeyIsUsableByGpgOnlyWithThePassphrase() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.ED25519, "correct horse");
        Path home = Files.createTempDirectory(dir, "gnupg");
        Path secret = write("signing-key.asc", key.armoredSecretKey());
        assertEquals(0, Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--import",
                secret.toString()).exitCode());
        Path data = write("data", MANIFEST);
        Tool.Result wrong = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--passphrase", "wrong", "--detach-sign", "-o", "bad.sig",
                data.toString());
        assertNotEquals(0, wrong.exitCode(), wrong.output());
        Tool.Result right = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--yes",
                "--pinentry-mode", "loopback", "--passphrase", "correct horse", "--detach-sign", "-o", "good.sig",
                data.toString());
        assertEquals(0, right.exitCode(), right.output());

        // And we read it back only with the passphrase.
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> read(secret, ""));
        assertTrue(none.getMessage().contains("passphrase-protected"), none.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> read(secret, "wrong"));
        assertTrue(bad.getMessage().contains("wrong passphrase"), bad.getMessage());
        SigningKey back = read(secret, "correct horse");
        assertEquals(key.fingerprint(), back.fingerprint());
    }

    @Test
    void signsWithAKeyGpgGenerated() throws Exception {
        Path home = Files.createTempDirectory(dir, "gnupg");
        Tool.Result gen = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode",
                "loopback", "--passphrase", "", "--quick-gen-key", "Gpg Made <gpg@example.com>", "ed25519", "sign", "0");
        assertEquals(0, gen.exitCode(), gen.output());
        Tool.Result export = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode",
                "loopback", "--passphrase", "", "--armor", "--export-secret-keys", "-o", "gpg-secret.asc");
        assertEquals(0, export.exitCode(), export.output());
        assertEquals(0, Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--export", "-o",
                "gpg-pub.gpg").exitCode());
        SigningKey key = read(dir.resolve("gpg-secret.asc"), "");
        Path manifest = write("SHA256SUMS", MANIFEST);
        Path signature = write("SHA256SUMS.gpg", key.signDetached(new ByteArrayInputStream(MANIFEST), Instant.now()));
        Tool.Result v = gpgv(dir.resolve("gpg-pub.gpg"), signature, manifest);
        assertEquals(0, v.exitCode(), v.output());
    }

    @Test
    void signsWithTheSigningSubkeyOfACertifyOnlyGpgKey() throws Exception {
        Path home = Files.createTempDirectory(dir, "gnupg");
        String[] gpg = {"gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", ""};
        assertEquals(0, Tool.run(dir, concat(gpg, "--quick-gen-key", "Offline Primary <p@example.com>", "ed25519",
                "cert", "0")).exitCode());
        Tool.Result colons = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--with-colons", "--list-keys");
        String primary = colons.output().lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        assertEquals(0, Tool.run(dir, concat(gpg, "--quick-add-key", primary, "ed25519", "sign", "0")).exitCode());
        String subkey = Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--with-colons", "--list-keys")
                .output().lines().filter(l -> l.startsWith("fpr:")).skip(1).findFirst().orElseThrow().split(":")[9];
        assertEquals(0, Tool.run(dir, concat(gpg, "--export-secret-keys", "-o", "secret.gpg")).exitCode());
        assertEquals(0, Tool.run(dir, "gpg", "--homedir", home.toString(), "--batch", "--export", "-o", "pub.gpg").exitCode());

        SigningKey key = read(dir.resolve("secret.gpg"), "");
        assertEquals(primary, key.fingerprint());
        Path manifest = write("SHA256SUMS", MANIFEST);
        Path signature = write("SHA256SUMS.gpg", key.signDetached(new ByteArrayInputStream(MANIFEST), Instant.now()));
        Tool.Result v = gpgv(dir.resolve("pub.gpg"), signature, manifest);
        assertEquals(0, v.exitCode(), v.output());
        assertTrue(v.output().contains(subkey), "signed by the subkey " + subkey + ":\n" + v.output());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void refusesInputWithoutASecretKey() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.ED25519, "");
        Path pub = write("pub.asc", key.armoredPublicKey());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(pub, ""));
        assertTrue(e.getMessage().startsWith(pub + ": "), e.getMessage());
        Path junk = write("junk", "hello\n".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> read(junk, ""));
    }

    @Test
    void signaturesAreReproducibleForAFixedTime() throws Exception {
        SigningKey key = newKey(KeyAlgorithm.ED25519, "");
        Instant t = key.created().plusSeconds(60);
        byte[] a = key.signDetached(new ByteArrayInputStream(MANIFEST), t);
        byte[] b = key.signDetached(new ByteArrayInputStream(MANIFEST), t);
        assertArrayEquals(a, b);
        // A time before the key's creation is clamped: gpg would reject the signature otherwise.
        byte[] early = key.signDetached(new ByteArrayInputStream(MANIFEST), Instant.EPOCH);
        Path manifest = write("SHA256SUMS", MANIFEST);
        assertEquals(0, gpgv(write("kr.gpg", key.publicKeyring()), write("early.sig", early), manifest).exitCode());
    }

    private static SigningKey read(Path file, String passphrase) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return SigningKey.read(in, file.toString(), passphrase.toCharArray());
        }
    }
}
