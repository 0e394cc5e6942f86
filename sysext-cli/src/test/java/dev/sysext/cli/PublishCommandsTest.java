package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** keygen, release, sysupdate and butane from the command line: outputs, exit codes and messages. */
class PublishCommandsTest {
    @TempDir
    Path dir;

    private static String tool(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    private Path keygen(String... extra) {
        Path keys = dir.resolve("keys");
        List<Object> args = new java.util.ArrayList<>(List.of("keygen", "--name", "Test Releases", "--email",
                "releases@example.com", "--out", keys));
        args.addAll(List.of((Object[]) extra));
        SysextRun r = SysextRun.run(args.toArray());
        assertEquals(0, r.exitCode(), r.err());
        return keys;
    }

    @Test
    void keygenWritesTheSecretKeyPrivatelyAndNeverReplacesItSilently() throws Exception {
        Path keys = keygen();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("signing-key.asc"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("import-pubring.gpg"))));
        assertTrue(Files.readString(keys.resolve("signing-key.pub.asc")).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        byte[] secret = Files.readAllBytes(keys.resolve("signing-key.asc"));
        SysextRun again = SysextRun.run("keygen", "--name", "X", "--email", "x@example.com", "--out", keys);
        assertEquals(3, again.exitCode());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(new String(secret), Files.readString(keys.resolve("signing-key.asc")));

        SysextRun badEmail = SysextRun.run("keygen", "--name", "X", "--email", "nope", "--out", dir.resolve("k2"));
        assertEquals(3, badEmail.exitCode());
        assertTrue(badEmail.err().startsWith("sysext: error: 'nope' is not an e-mail address"), badEmail.err());
        SysextRun both = SysextRun.run("keygen", "--name", "X", "--email", "x@example.com", "--out", dir.resolve("k3"),
                "--passphrase-file", "p", "--passphrase-env", "P");
        assertEquals(2, both.exitCode(), both.err());
    }

    @Test
    void aPassphraseProtectedKeySignsOnlyWithItsPassphrase() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "s3cret words\n");
        Path keys = keygen("--passphrase-file", passphrase.toString());
        Path pub = dir.resolve("pub");
        SquashfsImages.image(pub, "demo", "1.0.0");
        SysextRun locked = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"));
        assertEquals(3, locked.exitCode());
        assertTrue(locked.err().contains("passphrase-protected"), locked.err());
        assertFalse(Files.exists(pub.resolve("SHA256SUMS")));
        Path wrong = Files.writeString(dir.resolve("wrong"), "other\n");
        SysextRun bad = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"), "--passphrase-file", wrong);
        assertEquals(3, bad.exitCode());
        assertTrue(bad.err().contains("wrong passphrase"), bad.err());

        SysextRun ok = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"), "--passphrase-file", passphrase);
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("demo-1.0.0-x86-64.raw"), ok.out());
        tool(pub, "gpgv", "--keyring", keys.resolve("import-pubring.gpg").toString(), "SHA256SUMS.gpg", "SHA256SUMS");
        tool(pub, "sha256sum", "--strict", "-c", "SHA256SUMS");
    }

    @Test
    void thePassphraseCanComeFromTheEnvironment() throws Exception {
        // PATH is set in every test run; any variable works the same way.
        Path keys = keygen("--passphrase-env", "PATH");
        Path pub = dir.resolve("pub");
        SquashfsImages.image(pub, "demo", "1.0.0");
        SysextRun ok = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"), "--passphrase-env", "PATH");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("signed by ") && ok.out().contains("Test Releases <releases@example.com>"), ok.out());
        SysextRun unset = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"), "--passphrase-env",
                "SYSEXT_TEST_SURELY_UNSET_VARIABLE");
        assertEquals(3, unset.exitCode());
        assertTrue(unset.err().contains("SYSEXT_TEST_SURELY_UNSET_VARIABLE is not set"), unset.err());
    }

    @Test
    void releaseRefusesPreReleasesUnlessTheyAreLeftOut() throws Exception {
        Path pub = dir.resolve("pub");
        SquashfsImages.image(pub, "demo", "2.2.0");
        SquashfsImages.image(pub, "demo", "2.3.0-rc.1");
        SysextRun refused = SysextRun.run("release", pub);
        assertEquals(3, refused.exitCode());
        assertTrue(refused.err().contains("demo-2.3.0-rc.1-x86-64.raw") && refused.err().contains("outrank"),
                refused.err());
        SysextRun omitted = SysextRun.run("release", pub, "--pre-releases", "omit");
        assertEquals(0, omitted.exitCode(), omitted.err());
        assertTrue(omitted.err().contains("demo-2.3.0-rc.1-x86-64.raw: pre-release, left out"), omitted.err());
        assertFalse(Files.readString(pub.resolve("SHA256SUMS")).contains("rc"));
    }

    @Test
    void sysupdateWritesAnEtcTree() throws Exception {
        Path out = dir.resolve("etc");
        SysextRun r = SysextRun.run("sysupdate", "containerd", "--source-url", "https://example.com/c", "--output", out,
                "--transfer", "--minor", "2.1", "--min-version", "2.1.3", "--on-change", "refresh", "--restart",
                "containerd.service");
        assertEquals(0, r.exitCode(), r.err());
        String transfer = Files.readString(out.resolve("sysupdate.containerd.d/containerd.transfer"));
        assertTrue(transfer.contains("MatchPattern=containerd-2.1.@v-%a.raw") && transfer.contains("MinVersion=3"),
                transfer);
        assertTrue(Files.readString(out.resolve("systemd/system/systemd-sysupdate.service.d/containerd.conf"))
                .contains("try-restart containerd.service"));
        assertTrue(Files.exists(out.resolve("sysupdate.d/noop.conf")));
        SysextRun badLine = SysextRun.run("sysupdate", "containerd", "--source-url", "https://example.com/c", "--output",
                out, "--minor", "2.1", "--min-version", "2.0.9");
        assertEquals(3, badLine.exitCode());
        assertTrue(badLine.err().contains("not in the 2.1 line"), badLine.err());
    }

    @SuppressWarnings("unchecked")
    @Test
    void butaneVerifiesTheImageWithItsSha512() throws Exception {
        Path keys = keygen();
        Path pub = dir.resolve("pub");
        SquashfsImages.image(pub, "containerd", "1.9.0");
        SquashfsImages.image(pub, "containerd", "1.10.0");
        SysextRun release = SysextRun.run("release", pub, "--sign-key", keys.resolve("signing-key.asc"));
        assertEquals(0, release.exitCode(), release.err());
        Path config = Files.writeString(dir.resolve("config.toml"), "version = 3\n");
        Path output = dir.resolve("containerd.bu");
        SysextRun r = SysextRun.run("butane", "containerd", "--base-url", "https://example.com/c", "--release-dir", pub,
                "--keyring", keys.resolve("import-pubring.gpg"), "--containerd-config", config, "-o", output);
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(output));
        List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) doc.get("storage")).get("files");
        Map<String, Object> image = files.get(0);
        // The newest version by systemd's order: 1.10.0, not 1.9.0.
        assertEquals("/opt/extensions/containerd/containerd-1.10.0-x86-64.raw", image.get("path"));
        String sha512sum = tool(pub, "sha512sum", "containerd-1.10.0-x86-64.raw").substring(0, 128);
        assertEquals("sha512-" + sha512sum,
                ((Map<String, Object>) ((Map<String, Object>) image.get("contents")).get("verification")).get("hash"));
        assertTrue(files.stream().anyMatch(f -> "/etc/containerd/config.toml".equals(f.get("path"))));

        // An explicit version, on stdout.
        SysextRun older = SysextRun.run("butane", "containerd", "1.9.0", "--base-url", "https://example.com/c",
                "--release-dir", pub, "--keyring", keys.resolve("signing-key.pub.asc"));
        assertEquals(0, older.exitCode(), older.err());
        assertTrue(older.out().contains("containerd-1.9.0-x86-64.raw"), older.out());
    }

    @Test
    void butaneRefusesWhatWouldNotWorkOnTheHost() throws Exception {
        Path pub = dir.resolve("pub");
        SquashfsImages.image(pub, "demo", "1.0.0");
        SysextRun noKeyring = SysextRun.run("butane", "demo", "--base-url", "https://example.com/d", "--release-dir", pub);
        assertEquals(2, noKeyring.exitCode());
        assertTrue(noKeyring.err().contains("--keyring"), noKeyring.err());
        SysextRun unsigned = SysextRun.run("butane", "demo", "--base-url", "https://example.com/d", "--release-dir", pub,
                "--no-verify");
        assertEquals(0, unsigned.exitCode(), unsigned.err());
        assertTrue(unsigned.out().contains("Verify=no"), unsigned.out());

        SysextRun release = SysextRun.run("release", pub);
        assertEquals(0, release.exitCode(), release.err());
        SquashfsImages.image(pub, "demo", "1.1.0");
        SysextRun unlisted = SysextRun.run("butane", "demo", "--base-url", "https://example.com/d", "--release-dir", pub,
                "--no-verify");
        assertEquals(3, unlisted.exitCode());
        assertTrue(unlisted.err().contains("does not list demo-1.1.0-x86-64.raw"), unlisted.err());
        Files.delete(pub.resolve("demo-1.1.0-x86-64.raw"));
        Files.writeString(pub.resolve("demo-1.0.0-x86-64.raw"), "changed after release");
        SysextRun changed = SysextRun.run("butane", "demo", "--base-url", "https://example.com/d", "--release-dir", pub,
                "--no-verify");
        assertEquals(4, changed.exitCode());
        assertTrue(changed.err().contains("does not match its SHA-256"), changed.err());
        SysextRun missing = SysextRun.run("butane", "demo", "9.9.9", "--base-url", "https://example.com/d",
                "--release-dir", pub, "--no-verify");
        assertEquals(3, missing.exitCode());
        assertTrue(missing.err().contains("demo-9.9.9-x86-64.raw: no such image"), missing.err());
        SysextRun badArch = SysextRun.run("butane", "demo", "1.0.0", "riscv64", "--base-url", "https://example.com/d",
                "--release-dir", pub, "--no-verify");
        assertEquals(2, badArch.exitCode());
    }
}
