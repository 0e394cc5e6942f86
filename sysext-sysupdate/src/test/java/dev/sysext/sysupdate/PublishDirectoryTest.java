package dev.sysext.sysupdate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishDirectoryTest {
    @TempDir
    Path dir;

    private void image(String name) throws Exception {
        Files.writeString(dir.resolve(name), "content of " + name + "\n");
    }

    private PublishDirectory.Published publish(Optional<SigningKey> key, PreReleasePolicy policy) throws Exception {
        return new PublishDirectory(dir).publish(key, policy, Instant.now());
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sha256sumChecksTheManifestWhichIsSortedAndEndsEveryLine() throws Exception {
        image("containerd-2.2.0-x86-64.raw");
        image("containerd-2.1.5-arm64.raw");
        image("containerd-2.10.0-x86-64.raw");
        image("docker-buildx-0.14.0-x86-64.raw");
        Files.writeString(dir.resolve("README.md"), "not an image\n");
        PublishDirectory.Published p = publish(Optional.empty(), PreReleasePolicy.REFUSE);
        assertEquals(4, p.images().size());
        String manifest = Files.readString(dir.resolve("SHA256SUMS"));
        List<String> names = manifest.lines().map(l -> l.substring(66)).toList();
        assertEquals(List.of("containerd-2.1.5-arm64.raw", "containerd-2.10.0-x86-64.raw",
                "containerd-2.2.0-x86-64.raw", "docker-buildx-0.14.0-x86-64.raw"), names);
        assertTrue(manifest.endsWith("\n"));
        assertTrue(manifest.lines().allMatch(l -> l.matches("[0-9a-f]{64}  \\S+")), manifest);
        Tool.Result check = Tool.run(dir, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertEquals(0, check.exitCode(), check.output());
        assertEquals(ReleaseManifest.parse(manifest), p.manifest());
        assertArrayEquals(p.manifest().encode(), manifest.getBytes(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("SHA256SUMS.gpg")));
    }

    @Test
    void rerunningAfterAddingAnImageUpdatesManifestAndSignature() throws Exception {
        SigningKey key = SigningKey.generate("T <t@example.com>", KeyAlgorithm.ED25519,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), new char[0]);
        Files.write(dir.resolve("keyring.gpg"), key.publicKeyring());
        image("demo-1.0.0-x86-64.raw");
        publish(Optional.of(key), PreReleasePolicy.REFUSE);
        byte[] firstSignature = Files.readAllBytes(dir.resolve("SHA256SUMS.gpg"));
        image("demo-1.1.0-x86-64.raw");
        PublishDirectory.Published p = publish(Optional.of(key), PreReleasePolicy.REFUSE);
        assertEquals(2, p.images().size());
        assertTrue(Files.readString(dir.resolve("SHA256SUMS")).contains("demo-1.1.0-x86-64.raw"));
        assertFalse(java.util.Arrays.equals(firstSignature, Files.readAllBytes(dir.resolve("SHA256SUMS.gpg"))));
        Tool.Result v = Tool.run(dir, "gpgv", "--keyring", dir.resolve("keyring.gpg").toString(),
                "SHA256SUMS.gpg", "SHA256SUMS");
        assertEquals(0, v.exitCode(), v.output());
        // Nothing but the images, the key and the two outputs: no temporary file is left behind.
        assertEquals(List.of("SHA256SUMS", "SHA256SUMS.gpg", "demo-1.0.0-x86-64.raw", "demo-1.1.0-x86-64.raw",
                "keyring.gpg"), files());
    }

    @Test
    void refusesPreReleasesByDefaultAndOmitsThemOnRequest() throws Exception {
        image("demo-2.2.0-x86-64.raw");
        image("demo-2.3.0-rc.1-x86-64.raw");
        image("demo-2.3.0beta2-x86-64.raw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publish(Optional.empty(), PreReleasePolicy.REFUSE));
        assertTrue(e.getMessage().contains("demo-2.3.0-rc.1-x86-64.raw"), e.getMessage());
        assertTrue(e.getMessage().contains("demo-2.3.0beta2-x86-64.raw"), e.getMessage());
        assertTrue(e.getMessage().contains("directory of their own"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("SHA256SUMS")), "nothing written on refusal");

        PublishDirectory.Published p = publish(Optional.empty(), PreReleasePolicy.OMIT);
        assertEquals(List.of(new ImageName("demo", "2.2.0", "x86-64")), p.images());
        assertEquals(2, p.omitted().size());
        assertFalse(Files.readString(dir.resolve("SHA256SUMS")).contains("rc"));
    }

    @Test
    void preReleaseRecognition() {
        for (String v : List.of("2.2.0-rc.1", "2.2.0rc1", "1.0.0-alpha", "1.0.0-beta.2", "1.0.0.dev3", "3.0.0-pre",
                "1.2.3-RC1", "0.9.0-preview.1", "1.0.0-snapshot")) {
            assertTrue(PublishDirectory.isPreRelease(v), v);
        }
        for (String v : List.of("2.2.0", "1.7.25", "2.2.0-1", "1.30.2", "2.0.0+build.5", "1.2.3-flatcar1")) {
            assertFalse(PublishDirectory.isPreRelease(v), v);
        }
    }

    @Test
    void refusesVersionsSystemdSysupdateRejects() throws Exception {
        image("demo-2.2.0~rc1-x86-64.raw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publish(Optional.empty(), PreReleasePolicy.OMIT));
        assertTrue(e.getMessage().contains("demo-2.2.0~rc1-x86-64.raw") && e.getMessage().contains("rejects"),
                e.getMessage());
    }

    @Test
    void refusesToLeaveAStaleSignature() throws Exception {
        image("demo-1.0.0-x86-64.raw");
        Files.writeString(dir.resolve("SHA256SUMS.gpg"), "old");
        Files.writeString(dir.resolve("SHA256SUMS"), "old");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publish(Optional.empty(), PreReleasePolicy.REFUSE));
        assertTrue(e.getMessage().contains("SHA256SUMS.gpg"), e.getMessage());
        assertEquals("old", Files.readString(dir.resolve("SHA256SUMS")));
    }

    @Test
    void namesWhatIsMissing() throws Exception {
        image("containerd.raw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publish(Optional.empty(), PreReleasePolicy.REFUSE));
        assertTrue(e.getMessage().contains("no NAME-VERSION-ARCH.raw"), e.getMessage());
        image("containerd-2.2.0-x86-64.raw");
        assertEquals(List.of("containerd.raw"), publish(Optional.empty(), PreReleasePolicy.REFUSE).ignored());
        assertThrows(IllegalArgumentException.class,
                () -> new PublishDirectory(dir.resolve("missing")).publish(Optional.empty(), PreReleasePolicy.REFUSE,
                        Instant.now()));
    }

    @Test
    void manifestParsingNamesTheBadLine() {
        String good = "0".repeat(64) + "  a.raw\n" + "1".repeat(64) + " *b.raw\n";
        assertEquals(2, ReleaseManifest.parse(good).entries().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReleaseManifest.parse(good + "xyz  c.raw\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReleaseManifest.parse("0".repeat(64) + "  a.raw"));
    }
}
