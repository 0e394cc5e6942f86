package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.LoopbackServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sysext verify}: the build manifest {@code create} records, the structure check, and
 * {@code --rebuild} against the loopback GitHub: identical, tampered, damaged, and upstream
 * serving another tarball for the same version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyCommandTest {
    private static final long EPOCH = 1_700_000_000L;
    private static final String TARBALL_URL =
            "https://github.com/containerd/containerd/releases/download/v2.2.0/containerd-static-2.2.0-linux-amd64.tar.gz";

    private Path dir;
    private FakeUpstream upstream;
    private Path image;

    @BeforeAll
    void create(@TempDir Path tmp) throws IOException {
        dir = tmp;
        upstream = new FakeUpstream(dir);
        SysextRun r = SysextRun.of(withUpstream(List.of("create", "containerd", "2.2.0", "--output",
                dir.resolve("out").toString(), "--epoch", Long.toString(EPOCH), "--comp", "zstd", "-b", "64K"),
                "cache-create"));
        assertEquals(0, r.exitCode(), r::toString);
        image = dir.resolve("out/containerd-2.2.0-x86-64.raw");
    }

    @AfterAll
    void stop() {
        upstream.close();
    }

    private List<String> withUpstream(List<String> args, String cache) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--cache", dir.resolve(cache).toString(), "--keyring", upstream.keyring.toString()));
        all.addAll(upstream.rewriteOptions());
        return all;
    }

    private SysextRun rebuild(Path img, String cache, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", img.toString(), "--rebuild", "--threads", "2"));
        args.addAll(List.of(more));
        return SysextRun.of(withUpstream(args, cache));
    }

    @Test
    void theManifestRecordsInputsAndOptions() throws Exception {
        ExternalTool cat = ExternalTool.run("unsquashfs", "-cat", image.toString(), "usr/share/sysext/containerd.json");
        assertEquals(0, cat.exitCode(), cat.output());
        String m = cat.output();
        assertTrue(m.contains("\"tool\": \"sysext " + VersionProvider.version() + "\""), m);
        assertTrue(m.contains("\"recipe\": \"containerd\",\n  \"version\": \"2.2.0\",\n  \"architecture\": \"x86-64\""), m);
        assertTrue(m.contains("\"os\": {\"id\": \"_any\", \"sysextLevel\": null}"), m);
        assertTrue(m.contains("\"epoch\": 1700000000"), m);
        assertTrue(m.contains("\"squashfs\": {\"compression\": \"zstd\", \"level\": 15, \"blockSize\": 65536}"), m);
        assertTrue(m.contains("{\"name\": \"containerd\", \"version\": \"2.2.0\", \"url\": \"" + TARBALL_URL
                + "\", \"sha256\": \"" + LoopbackServer.sha256(FakeUpstream.containerdTar("2.2.0").bytes("tar.gz")) + "\"}"), m);
        assertTrue(m.contains("{\"name\": \"runc\", \"version\": \"v1.3.3\", \"url\": "
                + "\"https://github.com/opencontainers/runc/releases/download/v1.3.3/runc.amd64\""), m);
        assertFalse(m.contains("127.0.0.1") || m.contains(dir.toString()), "no mirror, no build path: " + m);

        SysextRun v = SysextRun.of(List.of("verify", image.toString()));
        assertEquals(0, v.exitCode(), v::toString);
        assertTrue(v.out().contains("every inode, directory, data block, fragment, xattr and table reads and checks out"),
                v.out());
        assertTrue(v.out().contains("build manifest usr/share/sysext/containerd.json:\n" + m), v.out());
    }

    @Test
    void anErofsImageIsVerifiedAndItsRebuildIsIdentical() throws Exception {
        SysextRun c = SysextRun.of(withUpstream(List.of("create", "containerd", "2.2.0", "--output",
                dir.resolve("out-erofs").toString(), "--epoch", Long.toString(EPOCH), "--format", "erofs"), "cache-create"));
        assertEquals(0, c.exitCode(), c::toString);
        Path erofs = dir.resolve("out-erofs/containerd-2.2.0-x86-64.raw");
        SysextRun v = SysextRun.of(List.of("verify", erofs.toString()));
        assertEquals(0, v.exitCode(), v::toString);
        assertTrue(v.out().contains(erofs + ": every inode and directory reads and every file decodes (EROFS)"), v.out());
        assertTrue(v.out().contains("\"format\": \"erofs\",\n  \"erofs\": {\"compression\": \"lz4hc\", \"level\": 12,"), v.out());
        SysextRun r = rebuild(erofs, "cache-rebuild-erofs", "--keep", dir.resolve("kept-erofs").toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains(erofs + ": IDENTICAL to its rebuild (" + Files.size(erofs) + " bytes)"), r.out());
        ExternalTool diff = ExternalTool.run("cmp", erofs.toString(),
                dir.resolve("kept-erofs/containerd-2.2.0-x86-64.raw").toString());
        assertEquals(0, diff.exitCode(), diff.output());
        // A flipped byte in the middle (compressed file data): a decoding error or a difference.
        byte[] b = Files.readAllBytes(erofs);
        int at = b.length / 2;
        b[at] ^= 0x55;
        Path flipped = Files.write(dir.resolve("out-erofs/flipped.raw"), b);
        SysextRun f = rebuild(flipped, "cache-rebuild-erofs");
        assertEquals(ExitCode.VERIFICATION_FAILED.code, f.exitCode(), f::toString);
        assertTrue(f.out().contains(flipped + ": DAMAGED: ")
                || f.out().contains("DIFFERS from its rebuild from byte offset " + at), f.out());
    }

    @Test
    void aRebuildFromAnEmptyCacheIsIdentical() throws Exception {
        SysextRun r = rebuild(image, "cache-rebuild", "--keep", dir.resolve("kept").toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains(image + ": IDENTICAL to its rebuild (" + Files.size(image) + " bytes)"), r.out());
        assertTrue(r.err().contains("verified: "), r.err());
        ExternalTool diff = ExternalTool.run("cmp", image.toString(),
                dir.resolve("kept/containerd-2.2.0-x86-64.raw").toString());
        assertEquals(0, diff.exitCode(), diff.output());
    }

    @Test
    void aTamperedImageDiffersFromItsRebuildAndTheFileIsNamed() throws Exception {
        // Same manifest, one file changed, packed again by mksquashfs with the same times and owners.
        Path tree = dir.resolve("tampered-tree");
        ExternalTool x = ExternalTool.run("unsquashfs", "-d", tree.toString(), image.toString());
        assertEquals(0, x.exitCode(), x.output());
        Files.writeString(tree.resolve("usr/bin/ctr"), "#!/bin/sh\necho evil\n");
        Path tampered = Files.createDirectories(dir.resolve("tampered")).resolve("containerd-2.2.0-x86-64.raw");
        ExternalTool mk = ExternalTool.run("mksquashfs", tree.toString(), tampered.toString(), "-noappend", "-quiet",
                "-comp", "zstd", "-b", "64K", "-all-root", "-mkfs-time", Long.toString(EPOCH), "-all-time",
                Long.toString(EPOCH));
        assertEquals(0, mk.exitCode(), mk.output());
        SysextRun r = rebuild(tampered, "cache-create");
        assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
        assertTrue(r.out().contains(tampered + ": DIFFERS from its rebuild from byte offset "), r.out());
        assertTrue(r.out().contains("  usr/bin/ctr: size 20 vs 25 bytes\n"), r.out());
        assertTrue(r.err().contains("sysext: error: " + tampered + " differs from its rebuild from byte "), r.err());
        assertNoRebuildLeftBehind();
    }

    @Test
    void aFlippedByteIsFoundByTheRebuild() throws Exception {
        Path flipped = Files.createDirectories(dir.resolve("flipped")).resolve("containerd-2.2.0-x86-64.raw");
        byte[] bytes = Files.readAllBytes(image);
        bytes[200] ^= 0x01; // in the data area: the superblock is 96 bytes, then the compressed blocks
        Files.write(flipped, bytes);
        // zstd frames carry no checksum here, so the flipped byte decodes to another byte: only
        // the rebuild can tell.
        SysextRun r = rebuild(flipped, "cache-create");
        assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
        assertTrue(r.out().contains(flipped + ": DIFFERS from its rebuild from byte offset 200 (0xc8)"), r.out());
        assertTrue(r.out().contains(": content differs from byte "), r.out());
        assertNoRebuildLeftBehind();
    }

    @Test
    void aDamagedBlockFailsThePlainVerification() throws Exception {
        // gzip blocks end in an Adler-32, so a flipped data byte fails decompression.
        Path tree = Files.createDirectories(dir.resolve("gzip-tree/usr/lib"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(i * 7919 % 1000).append('\n');
        }
        Files.writeString(tree.resolve("data.txt"), text);
        Path img = dir.resolve("gzip.raw");
        ExternalTool mk = ExternalTool.run("mksquashfs", dir.resolve("gzip-tree").toString(), img.toString(),
                "-noappend", "-quiet", "-comp", "gzip");
        assertEquals(0, mk.exitCode(), mk.output());
        SysextRun good = SysextRun.of(List.of("verify", img.toString()));
        assertEquals(0, good.exitCode(), good::toString);
        byte[] bytes = Files.readAllBytes(img);
        bytes[150] ^= 0x01;
        Files.write(img, bytes);
        SysextRun bad = SysextRun.of(List.of("verify", img.toString()));
        assertEquals(ExitCode.VERIFICATION_FAILED.code, bad.exitCode(), bad::toString);
        assertTrue(bad.out().contains(img + ": DAMAGED: "), bad.out());
        assertTrue(bad.err().contains("sysext: error: " + img + " is damaged: "), bad.err());
    }

    @Test
    void upstreamServingAnotherTarballForTheSameVersionIsReported() throws Exception {
        try (FakeUpstream other = new FakeUpstream(Files.createDirectories(dir.resolve("other-upstream")))) {
            List<String> create = new ArrayList<>(List.of("create", "containerd", "2.2.0", "--output",
                    dir.resolve("out-other").toString(), "--epoch", Long.toString(EPOCH), "--threads", "1",
                    "--cache", dir.resolve("cache-other").toString(), "--keyring", other.keyring.toString()));
            create.addAll(other.rewriteOptions());
            SysextRun c = SysextRun.of(create);
            assertEquals(0, c.exitCode(), c::toString);
            Path built = dir.resolve("out-other/containerd-2.2.0-x86-64.raw");
            byte[] replaced = FakeUpstream.containerdTar("2.2.0").file("bin/containerd-extra", 0755, "#!/bin/sh\n").bytes("tar.gz");
            String originalHash = LoopbackServer.sha256(FakeUpstream.containerdTar("2.2.0").bytes("tar.gz"));
            // Another tarball under the old checksum file: the download fails verification.
            other.republishContainerd("2.2.0", replaced, originalHash);
            List<String> stale = new ArrayList<>(List.of("verify", built.toString(), "--rebuild",
                    "--cache", dir.resolve("cache-stale").toString(), "--keyring", other.keyring.toString()));
            stale.addAll(other.rewriteOptions());
            SysextRun s = SysextRun.of(stale);
            assertEquals(ExitCode.VERIFICATION_FAILED.code, s.exitCode(), s::toString);
            assertTrue(s.err().contains("sysext: error: verification failed: ")
                    && s.err().contains("containerd-static-2.2.0-linux-amd64.tar.gz: sha256 mismatch"), s.err());
            // Another tarball with a matching checksum file: the rebuild differs, and says why.
            other.republishContainerd("2.2.0", replaced, null);
            List<String> verify = new ArrayList<>(List.of("verify", built.toString(), "--rebuild",
                    "--cache", dir.resolve("cache-other").toString(), "--keyring", other.keyring.toString()));
            verify.addAll(other.rewriteOptions());
            SysextRun r = SysextRun.of(verify);
            assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
            assertTrue(r.out().contains("input changed: containerd: the image was built from 2.2.0 " + TARBALL_URL
                    + " sha256 " + LoopbackServer.sha256(FakeUpstream.containerdTar("2.2.0").bytes("tar.gz"))), r.out());
            assertTrue(r.out().contains("  usr/bin/containerd-extra: only in the second image\n"), r.out());
            assertTrue(r.err().contains("upstream inputs are no longer what the image was built from"), r.err());
        }
    }

    @Test
    void theRebuildNeverOverwritesTheImage() throws Exception {
        byte[] before = Files.readAllBytes(image);
        SysextRun r = rebuild(image, "cache-create", "--keep", image.getParent().toString());
        assertEquals(ExitCode.USAGE.code, r.exitCode(), r::toString);
        assertTrue(r.err().contains("would write the rebuild over " + image + " itself"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(image)), "the image is untouched");
    }

    @Test
    void noManifestNoRebuild() throws Exception {
        Path plain = dir.resolve("plain.raw");
        Path tree = Files.createDirectories(dir.resolve("plain-tree/usr/lib"));
        Files.writeString(tree.resolve("hello"), "hello\n");
        ExternalTool mk = ExternalTool.run("mksquashfs", dir.resolve("plain-tree").toString(), plain.toString(),
                "-noappend", "-quiet");
        assertEquals(0, mk.exitCode(), mk.output());
        SysextRun v = SysextRun.of(List.of("verify", plain.toString()));
        assertEquals(0, v.exitCode(), v::toString);
        assertTrue(v.out().contains("no build manifest"), v.out());
        SysextRun r = SysextRun.of(List.of("verify", plain.toString(), "--rebuild"));
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r::toString);
        assertTrue(r.err().contains("has no build manifest in usr/share/sysext/, so it cannot be rebuilt"), r.err());
    }

    private static void assertNoRebuildLeftBehind() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), tmp.filter(p -> p.getFileName().toString().startsWith("sysext-verify-")).toList());
        }
    }
}
