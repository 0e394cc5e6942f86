package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sysext create} end to end: a loopback GitHub serves generated containerd and runc releases
 * (reached through {@code --rewrite-url}), the image is checked with unsquashfs and merged by
 * systemd-sysext into a fake Flatcar root, where the merged containerd runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateCommandTest {
    private static final long EPOCH = 1_700_000_000L;
    /** {@link #EPOCH} as unsquashfs prints it with TZ=UTC. */
    private static final String EPOCH_TEXT = "2023-11-14 22:13";

    private Path dir;

    private FakeUpstream upstream;
    private Path goodImage;
    private SysextRun goodRun;

    @BeforeAll
    void buildTheGoodImage(@TempDir Path tmp) throws IOException {
        dir = tmp;
        upstream = new FakeUpstream(dir);
        goodRun = SysextRun.of(create(dir.resolve("out1"), dir.resolve("cache1"), FakeUpstream.GOOD, "x86-64",
                "--threads", "1"));
        assertEquals(0, goodRun.exitCode(), goodRun::toString);
        goodImage = dir.resolve("out1/containerd-2.2.0-x86-64.raw");
    }

    @AfterAll
    void stopTheServer() {
        upstream.close();
    }

    private List<String> create(Path output, Path cache, String... args) {
        List<String> all = new ArrayList<>(List.of("create", "containerd"));
        all.addAll(List.of(args));
        all.addAll(List.of("--output", output.toString(), "--cache", cache.toString(), "--epoch", Long.toString(EPOCH)));
        if (!all.contains("--no-keyring")) {
            all.addAll(List.of("--keyring", upstream.keyring.toString()));
        }
        all.remove("--no-keyring");
        all.addAll(upstream.rewriteOptions());
        return all;
    }

    private static String cat(Path image, String path) throws IOException, InterruptedException {
        ExternalTool t = ExternalTool.run("unsquashfs", "-cat", image.toString(), path);
        assertEquals(0, t.exitCode(), t.output());
        return t.output();
    }

    @Test
    void theImageHasTheBakeryLayoutRootOwnedAtTheEpoch() throws Exception {
        assertTrue(goodRun.out().matches("[0-9a-f]{64}  \\S+containerd-2\\.2\\.0-x86-64\\.raw\\R"), goodRun.out());
        assertTrue(goodRun.err().contains("verified: "), goodRun.err());
        assertTrue(goodRun.err().contains("good signature by " + upstream.runcKey.fingerprint()), goodRun.err());

        ExternalTool list = ExternalTool.run("unsquashfs", "-lln", goodImage.toString());
        assertEquals(0, list.exitCode(), list.output());
        Set<String> paths = new TreeSet<>();
        for (String line : list.output().lines().filter(l -> l.contains("squashfs-root")).toList()) {
            String[] f = line.trim().split("\\s+", 6);
            assertEquals("0/0", f[1], line);
            assertEquals(EPOCH_TEXT, f[3] + " " + f[4], line);
            String path = f[5].equals("squashfs-root") ? "" : f[5].substring("squashfs-root/".length());
            paths.add(f[0].charAt(0) + f[0].substring(1, 4) + " " + path);
        }
        assertEquals(new TreeSet<>(List.of(
                "drwx ", "drwx usr", "drwx usr/bin", "drwx usr/lib", "drwx usr/lib/extension-release.d",
                "drwx usr/lib/systemd", "drwx usr/lib/systemd/system", "drwx usr/lib/systemd/system/multi-user.target.d",
                "drwx usr/share", "drwx usr/share/containerd", "drwx usr/share/sysext",
                "-rw- usr/share/sysext/containerd.json",
                "-rwx usr/bin/containerd", "-rwx usr/bin/containerd-shim-runc-v2", "-rwx usr/bin/ctr",
                "-rwx usr/bin/containerd-stress", "-rwx usr/bin/runc",
                "-rw- usr/lib/extension-release.d/extension-release.containerd",
                "-rw- usr/lib/systemd/system/containerd.service",
                "-rw- usr/lib/systemd/system/multi-user.target.d/10-containerd.conf",
                "-rw- usr/share/containerd/config.toml", "-rw- usr/share/containerd/config-cgroupfs.toml")), paths);

        assertEquals("ID=_any\nARCHITECTURE=x86-64\nEXTENSION_RELOAD_MANAGER=1\n",
                cat(goodImage, "usr/lib/extension-release.d/extension-release.containerd"));
        assertEquals(FakeUpstream.containerdScript("2.2.0"), cat(goodImage, "usr/bin/containerd"));
        // The manifest records the settings in effect: gzip's default level is 9, not "0".
        assertTrue(cat(goodImage, "usr/share/sysext/containerd.json")
                .contains("\"squashfs\": {\"compression\": \"gzip\", \"level\": 9, \"blockSize\": 131072}"));
        assertEquals("#!/bin/sh\necho runc version 1.3.3 amd64\n", cat(goodImage, "usr/bin/runc"));
        assertTrue(cat(goodImage, "usr/share/containerd/config.toml").contains("\nversion = 3\n"));
        assertTrue(cat(goodImage, "usr/share/containerd/config-cgroupfs.toml").contains("SystemdCgroup = false"));
    }

    @Test
    void containerd1GetsAVersion2Config() throws Exception {
        SysextRun r = SysextRun.of(create(dir.resolve("out-old"), dir.resolve("cache1"), FakeUpstream.OLD_LINE));
        assertEquals(0, r.exitCode(), r::toString);
        String config = cat(dir.resolve("out-old/containerd-1.7.29-x86-64.raw"), "usr/share/containerd/config.toml");
        assertTrue(config.contains("\nversion = 2\n"), config);
        assertTrue(config.contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n"
                + "  SystemdCgroup = true\n"), config);
    }

    @Test
    void sameInputsGiveTheSameBytesWhateverTheThreadsAndTheCache() throws Exception {
        // Other thread count, empty cache.
        SysextRun cold = SysextRun.of(create(dir.resolve("out2"), dir.resolve("cache2"), FakeUpstream.GOOD,
                "--arch", "x86-64", "--threads", "2"));
        assertEquals(0, cold.exitCode(), cold::toString);
        assertArrayEquals(Files.readAllBytes(goodImage), Files.readAllBytes(dir.resolve("out2/containerd-2.2.0-x86-64.raw")));
        // Warm cache, version and architecture left to their defaults (the newest release is 2.2.0).
        SysextRun warm = SysextRun.of(create(dir.resolve("out3"), dir.resolve("cache1"), "--threads", "3"));
        assertEquals(0, warm.exitCode(), warm::toString);
        assertArrayEquals(Files.readAllBytes(goodImage), Files.readAllBytes(dir.resolve("out3/containerd-2.2.0-x86-64.raw")));
        // A corrupted cache entry is not trusted: it fails verification and is downloaded again.
        Path cached;
        try (Stream<Path> files = Files.walk(dir.resolve("cache1"))) {
            cached = files.filter(p -> p.getFileName().toString().equals(FakeUpstream.assetName("2.2.0", "amd64")))
                    .findFirst().orElseThrow();
        }
        Files.writeString(cached, "not the tarball");
        SysextRun corrupted = SysextRun.of(create(dir.resolve("out6"), dir.resolve("cache1"), "2.2.0"));
        assertEquals(0, corrupted.exitCode(), corrupted::toString);
        assertArrayEquals(Files.readAllBytes(goodImage), Files.readAllBytes(dir.resolve("out6/containerd-2.2.0-x86-64.raw")));
        // The release tarball given as a local file, checked against its hash.
        Path tarball = dir.resolve("local.tar.gz");
        Files.write(tarball, FakeUpstream.containerdTar("2.2.0").bytes("tar.gz"));
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(tarball)));
        SysextRun local = SysextRun.of(create(dir.resolve("out4"), dir.resolve("cache1"), "2.2.0",
                "--from", tarball.toString(), "--sha256", sha));
        assertEquals(0, local.exitCode(), local::toString);
        assertArrayEquals(Files.readAllBytes(goodImage), Files.readAllBytes(dir.resolve("out4/containerd-2.2.0-x86-64.raw")));
        SysextRun wrong = SysextRun.of(create(dir.resolve("out5"), dir.resolve("cache1"), "2.2.0",
                "--from", tarball.toString(), "--sha256", "0".repeat(64)));
        assertEquals(ExitCode.VERIFICATION_FAILED.code, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.err().contains(tarball + ": sha256 mismatch"), wrong.err());
        assertNoImages(dir.resolve("out5"));
        // Nothing is fetched for the archive --from replaces: 2.1.4 has no build (nor checksum file) upstream.
        SysextRun offline = SysextRun.of(create(dir.resolve("out7"), dir.resolve("cache1"), "2.1.4",
                "--from", tarball.toString(), "--sha256", sha));
        assertEquals(0, offline.exitCode(), offline::toString);
        assertTrue(cat(dir.resolve("out7/containerd-2.1.4-x86-64.raw"), "usr/share/sysext/containerd.json")
                .contains("\"sha256\": \"" + sha + "\"}"), "verified by --sha256, so no verified flag");
        // Without --sha256 the archive is used as the user vouches for it, and the manifest says so.
        SysextRun unchecked = SysextRun.of(create(dir.resolve("out8"), dir.resolve("cache1"), "2.2.0",
                "--from", tarball.toString()));
        assertEquals(0, unchecked.exitCode(), unchecked::toString);
        assertTrue(unchecked.err().contains("NOT verified"), unchecked.err());
        assertTrue(cat(dir.resolve("out8/containerd-2.2.0-x86-64.raw"), "usr/share/sysext/containerd.json")
                .contains("\"sha256\": \"" + sha + "\", \"verified\": false}"), "the manifest marks it");
    }

    @Test
    void systemdSysextMergesTheImageIntoFlatcarAndContainerdRuns() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-any")));
        root.install(goodImage, "containerd");
        Path etc = Files.createDirectories(dir.resolve("etc-overlay/containerd"));
        Files.writeString(etc.resolve("config.toml"), "version = 3\n");
        // The unit's command as systemd runs it, on a host whose /usr/bin and /usr/share show the
        // merged image (read-only overlays in the private mount namespace), first without, then with
        // an /etc/containerd/config.toml, then with CONTAINERD_CONFIG set by a drop-in.
        String execStart = unitShellCommand(cat(goodImage, "usr/lib/systemd/system/containerd.service"));
        ExternalTool t = root.mergeAndRun(
                "\"$ROOT/usr/bin/containerd\" --version\n"
                + "\"$ROOT/usr/bin/runc\"\n"
                + "mount -t overlay overlay -o lowerdir=\"$ROOT/usr/bin:/usr/bin\" /usr/bin\n"
                + "mount -t overlay overlay -o lowerdir=\"$ROOT/usr/share:/usr/share\" /usr/share\n"
                + "echo \"default: $(/bin/sh -c \"$1\")\"\n"
                + "mount -t overlay overlay -o lowerdir=\"$2:/etc\" /etc\n"
                + "echo \"etc: $(/bin/sh -c \"$1\")\"\n"
                + "echo \"env: $(CONTAINERD_CONFIG=/etc/containerd/mine.toml /bin/sh -c \"$1\")\"\n",
                execStart, dir.resolve("etc-overlay").toString());
        assertEquals(0, t.exitCode(), t.output());
        String out = t.output();
        assertTrue(out.contains("Using extensions 'containerd'."), out);
        assertTrue(out.contains("containerd github.com/containerd/containerd/v2 v2.2.0 fake\n"), out);
        assertTrue(out.contains("runc version 1.3.3 amd64\n"), out);
        assertTrue(out.contains("default: containerd v2.2.0 would start with --config /usr/share/containerd/config.toml\n"), out);
        assertTrue(out.contains("etc: containerd v2.2.0 would start with --config /etc/containerd/config.toml\n"), out);
        assertTrue(out.contains("env: containerd v2.2.0 would start with --config /etc/containerd/mine.toml\n"), out);
        assertFalse(Files.exists(root.root().resolve("usr/bin/containerd")), "unmerged");
    }

    /** The {@code sh -c} script of the unit's ExecStart=, with systemd's {@code $$} escapes undone. */
    private static String unitShellCommand(String unit) {
        String line = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        String prefix = "ExecStart=/bin/sh -c '";
        assertTrue(line.startsWith(prefix) && line.endsWith("'"), line);
        String script = line.substring(prefix.length(), line.length() - 1);
        assertFalse(script.contains("'"), "one single-quoted word: " + script);
        assertFalse(script.replace("$$", "").contains("$"), "every $ is escaped for systemd: " + script);
        assertFalse(script.contains("%"), "no systemd specifiers: " + script);
        return script.replace("$$", "$");
    }

    @Test
    void anErofsImageMergesIntoFlatcarAndContainerdRuns() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        SysextRun r = SysextRun.of(create(dir.resolve("out-erofs"), dir.resolve("cache1"), "2.2.0", "--format", "erofs",
                "--os", "flatcar"));
        assertEquals(0, r.exitCode(), r::toString);
        Path image = dir.resolve("out-erofs/containerd-2.2.0-x86-64.raw");
        assertEquals(dev.sysext.verify.ExtensionImage.Format.EROFS, dev.sysext.verify.ExtensionImage.detect(image));
        ExternalTool fsck = ExternalTool.run("fsck.erofs", image.toString());
        assertEquals(0, fsck.exitCode(), fsck.output());
        try (dev.sysext.erofs.ErofsImage img = dev.sysext.erofs.ErofsImage.open(image)) {
            String manifest;
            try (java.io.InputStream in = img.open(img.lookup("usr/share/sysext/containerd.json").orElseThrow())) {
                manifest = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(manifest.contains("\n  \"format\": \"erofs\",\n  \"erofs\": {\"compression\": \"lz4hc\", \"level\": 12,"
                    + " \"clusterSize\": 65536},\n"), manifest);
            assertFalse(manifest.contains("squashfs"), manifest);
        }
        // The SquashFS image's manifest names no format: its bytes are what they were.
        assertFalse(cat(goodImage, "usr/share/sysext/containerd.json").contains("format"));
        SysextRun check = SysextRun.of(List.of("check", image.toString()));
        assertEquals(0, check.exitCode(), check::toString);
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-erofs")));
        root.install(image, "containerd");
        ExternalTool t = root.mergeAndRun("\"$ROOT/usr/bin/containerd\" --version");
        assertEquals(0, t.exitCode(), t.output());
        assertTrue(t.output().contains("Using extensions 'containerd'."), t.output());
        assertTrue(t.output().contains("v2.2.0 fake"), t.output());
        SysextRun bad = SysextRun.of(create(dir.resolve("out-bad-format"), dir.resolve("cache1"), "2.2.0", "--format", "ext4"));
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--format ext4: not squashfs or erofs"), bad.err());
    }

    @Test
    void aFlatcarImageMergesToo() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        SysextRun r = SysextRun.of(create(dir.resolve("out-flatcar"), dir.resolve("cache1"), "2.2.0", "--os", "flatcar"));
        assertEquals(0, r.exitCode(), r::toString);
        Path image = dir.resolve("out-flatcar/containerd-2.2.0-x86-64.raw");
        assertEquals("ID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=x86-64\nEXTENSION_RELOAD_MANAGER=1\n",
                cat(image, "usr/lib/extension-release.d/extension-release.containerd"));
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-flatcar")));
        root.install(image, "containerd");
        ExternalTool t = root.mergeAndRun("\"$ROOT/usr/bin/containerd\" --version");
        assertEquals(0, t.exitCode(), t.output());
        assertTrue(t.output().contains("Using extensions 'containerd'."), t.output());
        assertTrue(t.output().contains("v2.2.0 fake"), t.output());
    }

    @Test
    void systemdSysextRefusesTheArm64ImageOnThisHost() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        SysextRun r = SysextRun.of(create(dir.resolve("out-arm"), dir.resolve("cache1"), "2.2.0", "arm64"));
        assertEquals(0, r.exitCode(), r::toString);
        Path image = dir.resolve("out-arm/containerd-2.2.0-arm64.raw");
        assertEquals("ID=_any\nARCHITECTURE=arm64\nEXTENSION_RELOAD_MANAGER=1\n",
                cat(image, "usr/lib/extension-release.d/extension-release.containerd"));
        assertEquals("#!/bin/sh\necho runc version 1.3.3 arm64\n", cat(image, "usr/bin/runc"));
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-arm")));
        root.install(image, "containerd");
        ExternalTool t = root.mergeAndRun("test ! -e \"$ROOT/usr/bin/containerd\" && echo 'containerd is not merged'");
        assertEquals(0, t.exitCode(), t.output());
        assertTrue(t.output().contains("containerd is not merged"), t.output());
        assertTrue(t.output().contains("No suitable extensions found (1 ignored due to incompatible version)"), t.output());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tampered tarball         | 2.1.9 | 4 | containerd-static-2.1.9-linux-amd64.tar.gz: sha256 mismatch",
        "wrong checksum           | 2.1.8 | 4 | sha256 mismatch: expected " + "abababababababababababababababababababababababababababababababab",
        "untrusted runc signature | 2.1.7 | 4 | which is not among the trusted keys",
        "missing runc signature   | 2.1.6 | 4 | runc.amd64.asc",
        "tar entry with ../       | 2.1.5 | 3 | entry '../evil'",
        "unknown version          | 9.9.9 | 3 | containerd has no release v9.9.9",
        "no build for the arch    | 2.1.4 | 3 | containerd 2.1.4 has no build for x86-64",
    })
    void badInputsAreRefusedAndNoImageIsWritten(String what, String version, int exitCode, String message)
            throws Exception {
        Path out = Files.createDirectories(dir.resolve("refused-" + version));
        // A good image from an earlier run under the same name must survive the failed run.
        Path existing = out.resolve("containerd-" + version + "-x86-64.raw");
        Files.copy(goodImage, existing);
        SysextRun r = SysextRun.of(create(out, dir.resolve("cache-refused"), version, "x86-64"));
        assertEquals(exitCode, r.exitCode(), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("sysext: error: ") && l.contains(message)), r.err());
        assertEquals("", r.out());
        assertArrayEquals(Files.readAllBytes(goodImage), Files.readAllBytes(existing));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(existing), files.toList(), "nothing else is left behind");
        }
    }

    @Test
    void withoutAKeyringOnlyThePinnedRuncKeysAreTrusted() throws Exception {
        upstream.github.rawFile("opencontainers/runc/main/runc.keyring",
                dev.sysext.fetch.testing.TestKey.runcStyleKeyring(upstream.runcKey));
        Path out = dir.resolve("out-pinned");
        SysextRun r = SysextRun.of(create(out, dir.resolve("cache1"), "2.2.0", "--no-keyring"));
        assertEquals(ExitCode.VERIFICATION_FAILED.code, r.exitCode(), r::toString);
        assertTrue(r.err().contains("holds none of the pinned keys"), r.err());
        assertTrue(r.err().contains("C9C370B246B09F6DBCFC744C34401015D1D2D386"), r.err());
        assertTrue(r.err().contains("--keyring"), r.err());
        assertNoImages(out);
    }

    @Test
    void usageErrors() {
        SysextRun arch = SysextRun.of(create(dir.resolve("out-u"), dir.resolve("cache1"), "2.2.0", "riscv64"));
        assertEquals(ExitCode.USAGE.code, arch.exitCode(), arch::toString);
        assertTrue(arch.err().contains("unsupported architecture 'riscv64': use x86-64 or arm64"), arch.err());
        SysextRun name = SysextRun.of(List.of("create", "podman", "1.0.0"));
        assertEquals(ExitCode.INPUT_ERROR.code, name.exitCode(), name::toString);
        assertTrue(name.err().contains("unknown extension 'podman': sysext knows "), name.err());
        assertTrue(name.err().contains("containerd"), name.err());
        SysextRun os = SysextRun.of(create(dir.resolve("out-u"), dir.resolve("cache1"), "2.2.0", "--os", "fl atcar"));
        assertEquals(ExitCode.USAGE.code, os.exitCode(), os::toString);
    }

    private static void assertNoImages(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList());
            }
        }
    }
}
