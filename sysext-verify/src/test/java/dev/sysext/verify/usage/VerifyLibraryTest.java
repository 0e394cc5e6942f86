package dev.sysext.verify.usage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.ArtifactFetcher;
import dev.sysext.fetch.DownloadCache;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.GitHubReleases;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.HttpSettings;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.UrlRewriter;
import dev.sysext.fetch.Version;
import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestKey;
import dev.sysext.squashfs.Compression;
import dev.sysext.entry.EntryMetadata;
import dev.sysext.entry.EntryWriter;
import dev.sysext.erofs.ErofsOptions;
import dev.sysext.erofs.ErofsWriter;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.stage.Architecture;
import dev.sysext.stage.BuildManifest;
import dev.sysext.stage.BuildRequest;
import dev.sysext.stage.BuiltImage;
import dev.sysext.stage.ExtensionRelease;
import dev.sysext.stage.ImageBuilder;
import dev.sysext.stage.RecipeCatalog;
import dev.sysext.stage.Upstream;
import dev.sysext.verify.ImageComparison;
import dev.sysext.verify.ImageStatistics;
import dev.sysext.verify.ImageVerification;
import dev.sysext.verify.MergeCheck;
import dev.sysext.verify.MergeFinding;
import dev.sysext.verify.Rebuild;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sysext check} and {@code sysext verify [--rebuild]} do, done from Java with the exported
 * packages only (no sysext-cli): check an image against a host, compare two images, read a build
 * manifest, and rebuild-verify a containerd image built from a loopback GitHub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyLibraryTest {
    private static final long EPOCH = 1_700_000_000L;
    private static final MergeCheck.Host FLATCAR = new MergeCheck.Host(
            ExtensionRelease.parseFields("ID=flatcar\nVERSION_ID=4230.2.0\nSYSEXT_LEVEL=1.0\n"), "x86-64");

    private Path dir;
    private FakeGitHub github;
    private Path keyring;

    @BeforeAll
    void publishContainerdAndRunc(@TempDir Path tmp) throws Exception {
        dir = tmp;
        github = FakeGitHub.start();
        TestKey runcKey = TestKey.generate("runc test maintainer <runc@example.org>");
        keyring = dir.resolve("runc.keyring");
        Files.write(keyring, TestKey.runcStyleKeyring(runcKey));

        byte[] runc = "#!/bin/sh\necho runc 1.3.3\n".getBytes(StandardCharsets.UTF_8);
        FakeGitHub.Release r = github.release("opencontainers", "runc", "v1.3.3");
        r.asset("runc.amd64", runc);
        r.asset("runc.amd64.asc", runcKey.signDetached(runc, true));
        r.asset("runc.sha256sum", runcKey.clearSign(LoopbackServer.sha256(runc) + "  runc.amd64\n"));

        Path tree = Files.createDirectories(dir.resolve("tarball/bin"));
        Files.writeString(tree.resolve("containerd"), "#!/bin/sh\necho containerd 2.2.0\n");
        Files.writeString(tree.resolve("ctr"), "#!/bin/sh\necho ctr 2.2.0\n");
        Path tarball = dir.resolve("containerd.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", dir.resolve("tarball").toString(), "bin")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        byte[] tgz = Files.readAllBytes(tarball);
        String name = "containerd-static-2.2.0-linux-amd64.tar.gz";
        FakeGitHub.Release c = github.release("containerd", "containerd", "v2.2.0");
        c.asset(name, tgz);
        c.asset(name + ".sha256sum", (LoopbackServer.sha256(tgz) + "  " + name + "\n").getBytes(StandardCharsets.UTF_8));
        github.rawFile("containerd/containerd/refs/tags/v2.2.0/script/setup/runc-version",
                "v1.3.3\n".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        github.close();
    }

    private Upstream upstream() throws IOException {
        HttpFetcher http = new HttpFetcher(HttpSettings.defaults(), UrlRewriter.of(github.rewriteRules()));
        return new Upstream(http, new GitHubReleases(http, Optional.empty()),
                new ArtifactFetcher(http, new DownloadCache(dir.resolve("cache"))),
                Optional.of(TrustedKeys.load(keyring)), Optional.empty(), ProgressListener.NONE);
    }

    private BuiltImage containerd(Path output, Compression compression) throws IOException {
        BuildRequest request = new BuildRequest(RecipeCatalog.load().require("containerd"),
                Optional.of(Version.parse("2.2.0")), Architecture.X86_64, ExtensionRelease.ANY, "1.0", EPOCH,
                BuildRequest.imageOptions(WriterOptions.builder().compression(compression).workers(2), EPOCH), output,
                "sysext test");
        return new ImageBuilder(upstream()).build(request);
    }

    /** A small image with an extension-release file of {@code fields}, and {@code extra} as one more file. */
    private Path image(String fileName, String release, String extra) throws IOException {
        Path image = dir.resolve(fileName);
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().allRoot(true).mkfsTime(EPOCH).build())) {
            demoTree(w, release, extra);
            w.finish();
        }
        return image;
    }

    private Path erofsImage(String fileName, String release, String extra) throws IOException {
        Path image = dir.resolve(fileName);
        try (ErofsWriter w = ErofsWriter.create(image, ErofsOptions.of(EPOCH).withAllRoot(true))) {
            demoTree(w, release, extra);
            w.finish();
        }
        return image;
    }

    private static void demoTree(EntryWriter w, String release, String extra) throws IOException {
        EntryMetadata dirs = EntryMetadata.of(0755, 0, 0, EPOCH);
        for (String d : List.of("", "usr", "usr/bin", "usr/lib", "usr/lib/extension-release.d")) {
            w.directory(d, dirs);
        }
        byte[] r = release.getBytes(StandardCharsets.UTF_8);
        w.file("usr/lib/extension-release.d/extension-release.demo", EntryMetadata.of(0644, 0, 0, EPOCH),
                new java.io.ByteArrayInputStream(r), r.length);
        byte[] x = extra.getBytes(StandardCharsets.UTF_8);
        w.file("usr/bin/demo", EntryMetadata.of(0755, 0, 0, EPOCH), new java.io.ByteArrayInputStream(x), x.length);
    }

    @Test
    void checksAnImageAgainstAHost() throws Exception {
        Path good = image("demo.raw", "ID=_any\nARCHITECTURE=x86-64\n", "x");
        try (SquashfsImage img = SquashfsImage.open(good)) {
            MergeCheck.Result r = MergeCheck.check(img, "demo.raw", Optional.empty(), FLATCAR);
            assertTrue(r.merges(), r.findings().toString());
            assertEquals("demo", r.name());
            assertEquals(Optional.of("usr/lib/extension-release.d/extension-release.demo"), r.releasePath());
            assertEquals(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"), r.release());
            assertEquals(List.of(), r.findings());
        }
        Path arm = image("demo-arm.raw", "ID=_any\nARCHITECTURE=arm64\n", "x");
        try (SquashfsImage img = SquashfsImage.open(arm)) {
            // Found as demo.raw, but built for another architecture.
            MergeCheck.Result r = MergeCheck.check(img, "demo-arm.raw", Optional.of("demo"), FLATCAR);
            assertFalse(r.merges());
            MergeFinding f = r.findings().get(0);
            assertEquals(MergeFinding.Severity.ERROR, f.severity());
            assertEquals("error", f.severity().label());
            assertEquals("architecture", f.rule());
            assertTrue(f.message().contains("ARCHITECTURE=arm64 does not match the host's x86-64"), f.message());
        }
    }

    @Test
    void comparesTwoImages() throws Exception {
        Path a = image("a.raw", "ID=_any\n", "one\n");
        Path same = image("same.raw", "ID=_any\n", "one\n");
        Path other = image("other.raw", "ID=_any\n", "two\n");
        assertEquals(OptionalLong.empty(), ImageComparison.firstDifference(a, same));
        OptionalLong at = ImageComparison.firstDifference(a, other);
        assertTrue(at.isPresent());
        byte[] x = Files.readAllBytes(a);
        byte[] y = Files.readAllBytes(other);
        int offset = (int) at.getAsLong();
        assertTrue(x[offset] != y[offset]);
        assertArrayEquals(java.util.Arrays.copyOf(x, offset), java.util.Arrays.copyOf(y, offset));
        assertEquals(List.of("usr/bin/demo: content differs from byte 0 of the file"),
                ImageComparison.treeDifferences(a, other, 20));
        assertEquals(List.of(), ImageComparison.treeDifferences(a, same, 20));
        ImageStatistics s = ImageStatistics.of(a);
        assertEquals(new ImageStatistics(2, "ID=_any\n".length() + "one\n".length(), Files.size(a)), s);
    }

    @Test
    void comparesTheTreesOfTwoErofsImages() throws Exception {
        Path a = erofsImage("a.erofs.raw", "ID=_any\n", "one\n");
        Path other = erofsImage("other.erofs.raw", "ID=_any\n", "two\n");
        assertTrue(ImageComparison.firstDifference(a, other).isPresent());
        assertEquals(List.of("usr/bin/demo: content differs from byte 0 of the file"),
                ImageComparison.treeDifferences(a, other, 20));
        assertEquals(List.of(), ImageComparison.treeDifferences(a, erofsImage("same.erofs.raw", "ID=_any\n", "one\n"), 20));
        // A SquashFS and an EROFS image of one tree hold the same entries.
        assertEquals(List.of(), ImageComparison.treeDifferences(a, image("a.raw", "ID=_any\n", "one\n"), 20));
    }

    @Test
    void readsTheBuildManifestAndRebuildsTheImageIdentically() throws Exception {
        BuiltImage built = containerd(dir.resolve("out"), Compression.GZIP);
        assertTrue(built.evidence().stream().anyMatch(e -> e.kind() == Evidence.Kind.DETACHED_SIGNATURE));
        assertEquals(Map.of("containerd", "2.2.0", "runc", "1.3.3"), built.components());

        ImageVerification v = ImageVerification.of(built.path());
        assertTrue(v.sound(), v.damage().toString());
        BuildManifest manifest = v.manifest().orElseThrow();
        assertEquals(built.manifest(), manifest);
        assertEquals("containerd", manifest.recipe());
        assertEquals(9, manifest.level(), "the level gzip used, not 0");
        try (SquashfsImage img = SquashfsImage.open(built.path())) {
            assertEquals(Optional.of(manifest), BuildManifest.read(img));
        }

        Rebuild rebuild = new Rebuild(upstream(), RecipeCatalog.load());
        Rebuild.Result same = rebuild.run(built.path(), manifest, Files.createDirectories(dir.resolve("rebuild")), 1);
        assertTrue(same.identical(), same.toString());
        assertEquals(List.of(), same.changedInputs());
        assertArrayEquals(Files.readAllBytes(built.path()), Files.readAllBytes(same.rebuilt().path()));

        // An image that is not what its manifest says (another compressor): the rebuild differs,
        // and the file trees show only the manifest, whose squashfs settings differ.
        BuiltImage xz = containerd(dir.resolve("out-xz"), Compression.XZ);
        Rebuild.Result differs = rebuild.run(xz.path(), manifest, Files.createDirectories(dir.resolve("rebuild2")), 1);
        assertFalse(differs.identical());
        assertTrue(differs.firstDifference().isPresent());
        assertEquals(List.of(), differs.changedInputs());
        assertEquals(1, differs.treeDifferences().size(), differs.treeDifferences().toString());
        assertTrue(differs.treeDifferences().get(0).startsWith("usr/share/sysext/containerd.json: "),
                differs.treeDifferences().toString());

        // A damaged image: the damage is named, and the manifest is still read where it can be.
        Path damaged = dir.resolve("damaged.raw");
        Files.copy(built.path(), damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(200);
            int b = f.read();
            f.seek(200);
            f.write(b ^ 0xff);
        }
        ImageVerification d = ImageVerification.of(damaged);
        assertFalse(d.sound());
    }
}
