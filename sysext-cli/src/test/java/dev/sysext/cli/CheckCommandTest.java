package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sysext check} against the real systemd-sysext (systemd 252 on the project's machines): for
 * every rule, the image {@code check} accepts is merged into a fake Flatcar root, and the image it
 * rejects is not.
 */
class CheckCommandTest {
    private static final String MARKER_DIR = "usr/lib/sysext-check-marker/";

    @TempDir
    Path dir;

    /**
     * Writes an image with {@code usr/lib/extension-release.d/extension-release.RELEASE_NAME} holding
     * {@code release}, a marker file, and {@code extra} files (paths).
     */
    private Path image(String fileName, String releaseName, String release, String strictXattr, String... extra)
            throws IOException {
        Path image = Files.createDirectories(dir.resolve("images")).resolve(fileName);
        EntryMetadata d = EntryMetadata.of(0755, 0, 0, 0);
        EntryMetadata f = EntryMetadata.of(0644, 0, 0, 0);
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().allRoot(true).build())) {
            w.directory("", d);
            List<String> dirs = new ArrayList<>(List.of("usr", "usr/lib", "usr/lib/extension-release.d",
                    "usr/lib/sysext-check-marker"));
            for (String e : extra) {
                String[] parts = e.split("/");
                for (int i = 1; i < parts.length; i++) {
                    String p = String.join("/", Arrays.copyOf(parts, i));
                    if (!dirs.contains(p)) {
                        dirs.add(p);
                    }
                }
            }
            for (String p : dirs) {
                w.directory(p, d);
            }
            EntryMetadata rm = strictXattr.isEmpty() ? f
                    : f.withXattrs(Map.of("user.extension-release.strict", strictXattr.getBytes(StandardCharsets.UTF_8)));
            byte[] content = release.getBytes(StandardCharsets.UTF_8);
            w.file("usr/lib/extension-release.d/extension-release." + releaseName, rm,
                    new java.io.ByteArrayInputStream(content), content.length);
            w.file(MARKER_DIR + fileName, f, new java.io.ByteArrayInputStream(new byte[] {'x'}), 1);
            for (String e : extra) {
                w.file(e, f, new java.io.ByteArrayInputStream(new byte[] {'y'}), 1);
            }
            w.finish();
        }
        return image;
    }

    /** Merges what is installed in {@code root}; tells whether the marker of {@code fileName} appeared. */
    private static ExternalTool merge(FlatcarRoot root, String fileName, String extraCheck)
            throws IOException, InterruptedException {
        String script = "mount -t tmpfs tmpfs /run\n"
                + "mount --bind \"$ROOT\" \"$ROOT\"\n"
                + "mount --make-rshared \"$ROOT\"\n"
                + "systemd-sysext merge --root=\"$ROOT\"; echo \"merge exit $?\"\n"
                + "if test -e \"$ROOT/" + MARKER_DIR + fileName + "\"; then echo MERGED; fi\n"
                + extraCheck + "\n"
                + "systemd-sysext unmerge --root=\"$ROOT\" >/dev/null 2>&1 || true\n";
        return ExternalTool.run("unshare", "-m", "--propagation", "private", "env", "ROOT=" + root.root(),
                "bash", "-c", script);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                | file name                    | install as  | release name | extension-release       | strict xattr | extra file   | exit | merged
        "_any, x86-64          | containerd.raw               |             | containerd   | ID=_any;ARCHITECTURE=x86-64 |          |              | 0    | true",
        "name mismatch         | containerd.raw               |             | docker       | ID=_any                 |              |              | 3    | false",
        "flatcar + level       | containerd.raw               |             | containerd   | ID=flatcar;SYSEXT_LEVEL=1.0 |          |              | 0    | true",
        "flatcar alone         | containerd.raw               |             | containerd   | ID=flatcar              |              |              | 3    | false",
        "flatcar + version id  | containerd.raw               |             | containerd   | ID=flatcar;VERSION_ID=4230.2.0 |       |              | 0    | true",
        "other version id      | containerd.raw               |             | containerd   | ID=flatcar;VERSION_ID=3975.2.0 |       |              | 3    | false",
        "other level           | containerd.raw               |             | containerd   | ID=flatcar;SYSEXT_LEVEL=2.0 |          |              | 3    | false",
        "other os              | containerd.raw               |             | containerd   | ID=fedora;SYSEXT_LEVEL=1.0 |           |              | 3    | false",
        "arm64                 | containerd.raw               |             | containerd   | ID=_any;ARCHITECTURE=arm64 |           |              | 3    | false",
        "no architecture       | containerd.raw               |             | containerd   | ID=_any                 |              |              | 0    | true",
        "no id                 | containerd.raw               |             | containerd   | ARCHITECTURE=x86-64     |              |              | 3    | false",
        "initrd scope          | containerd.raw               |             | containerd   | ID=_any;SYSEXT_SCOPE=initrd |          |              | 3    | false",
        "system scope          | containerd.raw               |             | containerd   | ID=_any;SYSEXT_SCOPE=\"initrd system\" | |              | 0    | true",
        "strict=0 xattr        | containerd.raw               |             | whatever     | ID=_any                 | 0            |              | 0    | true",
        "strict=1 xattr        | containerd.raw               |             | whatever     | ID=_any                 | 1            |              | 3    | false",
        "versioned, plain name | containerd-2.2.0-x86-64.raw  | plain       | containerd   | ID=_any                 |              |              | 0    | true",
        "versioned name as is  | containerd-2.2.0-x86-64.raw  | --name      | containerd   | ID=_any                 |              |              | 3    | false",
        "etc/ is ignored       | containerd.raw               |             | containerd   | ID=_any                 |              | etc/ext.conf | 0    | true",
    })
    void checkAgreesWithSystemdSysext(String what, String fileName, String installAs, String releaseName,
                                      String release, String strict, String extra, int exit, boolean merged)
            throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        Path image = image(fileName, releaseName, release.replace(';', '\n') + "\n", nullToEmpty(strict),
                extra == null ? new String[0] : new String[] {extra});
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root")));
        Path osRelease = root.root().resolve("usr/lib/os-release");
        List<String> args = new ArrayList<>(List.of("check", image.toString(), "--os-release", osRelease.toString()));
        if ("plain".equals(installAs)) {
            // A copy under the plain name: systemd-sysext 252 with --root does not follow symlinks in
            // the extension directories (tried relative and absolute), so the link cannot be shown here.
            Files.copy(image, root.root().resolve("var/lib/extensions/containerd.raw"));
        } else {
            Files.copy(image, root.root().resolve("var/lib/extensions/" + fileName));
            if ("--name".equals(installAs)) {
                args.addAll(List.of("--name", fileName));
            }
        }
        SysextRun check = SysextRun.of(args);
        assertEquals(exit, check.exitCode(), check::toString);
        ExternalTool t = merge(root, fileName, "test -e \"$ROOT/etc/ext.conf\" && echo 'etc merged'");
        assertEquals(merged, t.output().contains("MERGED"), () -> check + "\nsystemd-sysext:\n" + t.output());
        assertFalse(t.output().contains("etc merged"), t.output());
        if (exit != 0) {
            assertTrue(check.out().lines().anyMatch(l -> l.startsWith("error: ")), check.out());
            assertTrue(check.out().contains("would NOT merge"), check.out());
        } else {
            assertTrue(check.out().contains("would merge it as 'containerd'")
                    || check.out().contains("would merge it as '" + fileName.replace(".raw", "") + "'"), check.out());
        }
        if (extra != null) {
            assertTrue(check.out().contains("warning: systemd-sysext merges only usr/ and opt/; etc/ is ignored"),
                    check.out());
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Test
    void wordsForEachProblem() throws Exception {
        Path noLevel = image("containerd.raw", "containerd", "ID=flatcar\n", "");
        SysextRun r = SysextRun.of(List.of("check", noLevel.toString()));
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r::toString);
        assertTrue(r.out().contains("error: ID=flatcar without SYSEXT_LEVEL= or VERSION_ID=: systemd-sysext ignores"
                + " the image; add SYSEXT_LEVEL=1.0"), r.out());
        assertTrue(r.out().contains("would NOT merge it on flatcar 4230.2.0 x86-64 (1 problem)"), r.out());

        Path mismatch = image("containerd.raw", "docker", "ID=_any\n", "");
        r = SysextRun.of(List.of("check", mismatch.toString()));
        assertTrue(r.out().contains("holds extension-release.docker in usr/lib/extension-release.d/, not"
                + " extension-release.containerd"), r.out());
        assertTrue(r.out().contains("install it as docker.raw"), r.out());

        Path versioned = image("containerd-2.2.0-x86-64.raw", "containerd", "ID=_any\nARCHITECTURE=arm64\n", "");
        r = SysextRun.of(List.of("check", versioned.toString(), "--arch", "arm64"));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("note: 'containerd-2.2.0-x86-64.raw' is a versioned file name; systemd-sysext"
                + " uses the name of the file it finds, so install it as containerd.raw:"
                + " /etc/extensions/containerd.raw -> containerd-2.2.0-x86-64.raw"), r.out());
        r = SysextRun.of(List.of("check", versioned.toString()));
        assertTrue(r.out().contains("error: ARCHITECTURE=arm64 does not match the host's x86-64"), r.out());

        Path units = image("containerd.raw", "containerd", "ID=_any\n", "", "usr/lib/systemd/system/c.service",
                "usr/sbin/tool", "opt/c/c.conf");
        r = SysextRun.of(List.of("check", units.toString(), "--json"));
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("{\"schema\":\"sysext.check/v1\",\"image\":"), r.out());
        assertTrue(r.out().contains("\"merges\":false"), r.out());
        assertTrue(r.out().contains("{\"severity\":\"warning\",\"rule\":\"reload-manager\""), r.out());
        assertTrue(r.out().contains("{\"severity\":\"error\",\"rule\":\"usr-sbin\""), r.out());
        assertFalse(r.out().contains("top-level"), "opt/ is merged: " + r.out());
        Path debian = dir.resolve("debian-os-release");
        Files.writeString(debian, "ID=debian\nVERSION_ID=\"12\"\n");
        r = SysextRun.of(List.of("check", units.toString(), "--os-release", debian.toString()));
        assertEquals(0, r.exitCode(), "usr/sbin only warns off Flatcar: " + r);
        assertTrue(r.out().contains("warning: the image has usr/sbin"), r.out());

        Path notAnImage = Files.writeString(dir.resolve("junk.raw"), "not squashfs");
        r = SysextRun.of(List.of("check", notAnImage.toString()));
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("sysext: error: " + notAnImage + ": "), r.err());
    }

    /**
     * The versioned file merges through a link named after the extension, the way Flatcar deploys it
     * (systemd-sysext 252 follows links only without --root, so this merges onto the machine's own
     * /usr, in a private mount namespace with a private /run: nothing is seen outside).
     */
    @ParameterizedTest(name = "link {0}.raw")
    @CsvSource({"containerd, 0, true", "other, 3, false"})
    void aVersionedImageMergesThroughALinkNamedAfterIt(String linkName, int exit, boolean merged) throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        Path image = image("containerd-2.2.0-x86-64.raw", "containerd", "ID=_any\nARCHITECTURE=x86-64\n", "");
        Path link = Files.createDirectories(dir.resolve("links")).resolve(linkName + ".raw");
        Files.createSymbolicLink(link, image);
        SysextRun check = SysextRun.of(List.of("check", link.toString()));
        assertEquals(exit, check.exitCode(), check::toString);
        String marker = "/" + MARKER_DIR + "containerd-2.2.0-x86-64.raw";
        ExternalTool t = ExternalTool.run("unshare", "-m", "--propagation", "private", "bash", "-c",
                "mount -t tmpfs tmpfs /run && mount --make-rshared / && mkdir /run/extensions\n"
                + "ln -s \"$1\" /run/extensions/\"$2\".raw\n"
                + "systemd-sysext merge; echo \"merge exit $?\"\n"
                + "if test -e \"$3\"; then echo MERGED; fi\n"
                + "systemd-sysext unmerge >/dev/null 2>&1 || true\n", "merge", image.toString(), linkName, marker);
        assertEquals(merged, t.output().contains("MERGED"), () -> check + "\nsystemd-sysext:\n" + t.output());
        assertFalse(Files.exists(Path.of(marker)), "nothing leaks out of the mount namespace");
    }

    @Test
    void usrSbinHidesFlatcarsSbinLink() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        Path image = image("containerd.raw", "containerd", "ID=_any\n", "", "usr/sbin/extra-tool");
        SysextRun check = SysextRun.of(List.of("check", image.toString()));
        assertEquals(ExitCode.INPUT_ERROR.code, check.exitCode(), check::toString);
        FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-sbin")));
        Files.writeString(root.root().resolve("usr/bin/host-tool"), "");
        Files.createSymbolicLink(root.root().resolve("usr/sbin"), Path.of("bin"));
        root.install(image, "containerd");
        ExternalTool t = merge(root, "containerd.raw",
                "test -e \"$ROOT/usr/sbin/host-tool\" && echo 'host tool still in sbin' || echo 'host tool hidden'");
        assertTrue(t.output().contains("MERGED"), t.output());
        assertTrue(t.output().contains("host tool hidden"), "merging usr/sbin breaks the host: " + t.output());
    }

    /** An EROFS image written by our writer: {@code check} reads it as systemd-sysext does, {@code inspect} shows it. */
    private Path erofsImage(String fileName, String release) throws IOException {
        return erofsImage(fileName, "containerd", release, "");
    }

    /** As above, the release file named for {@code releaseName}, with a strict xattr unless {@code strict} is empty. */
    private Path erofsImage(String fileName, String releaseName, String release, String strict) throws IOException {
        Path tree = dir.resolve("erofs-tree-" + fileName);
        Path rel = Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
        Path releaseFile = rel.resolve("extension-release." + releaseName);
        Files.writeString(releaseFile, release);
        if (!strict.isEmpty()) {
            Files.getFileAttributeView(releaseFile, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("extension-release.strict", java.nio.ByteBuffer.wrap(strict.getBytes(StandardCharsets.UTF_8)));
        }
        Path marker = Files.createDirectories(tree.resolve(MARKER_DIR));
        Files.writeString(marker.resolve(fileName), "x");
        // Big enough to be compressed in several clusters: check and inspect read past it.
        Files.writeString(Files.createDirectories(tree.resolve("usr/bin")).resolve("tool"), "echo tool\n".repeat(20_000));
        Path image = Files.createDirectories(dir.resolve("images")).resolve(fileName);
        try (dev.sysext.erofs.ErofsWriter w = dev.sysext.erofs.ErofsWriter.create(image,
                dev.sysext.erofs.ErofsOptions.of(0).withAllRoot(true)
                        .withCompression(dev.sysext.erofs.ErofsCompression.BAKERY))) {
            w.addTree(tree);
            w.finish();
        }
        return image;
    }

    @Test
    void erofsImagesAreCheckedAsSystemdSysextMergesThem() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        for (String release : new String[] {"ID=flatcar\nSYSEXT_LEVEL=1.0\n", "ID=flatcar\n"}) {
            boolean good = release.contains("LEVEL");
            Path image = erofsImage("containerd.raw", release);
            FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-" + good)));
            Files.copy(image, root.root().resolve("var/lib/extensions/containerd.raw"));
            SysextRun check = SysextRun.of(List.of("check", image.toString(), "--os-release",
                    root.root().resolve("usr/lib/os-release").toString()));
            assertEquals(good ? 0 : ExitCode.INPUT_ERROR.code, check.exitCode(), check::toString);
            ExternalTool t = merge(root, "containerd.raw", "");
            assertEquals(good, t.output().contains("MERGED"), () -> check + "\nsystemd-sysext:\n" + t.output());
            Files.delete(image);
        }
    }

    @Test
    void theStrictXattrOfAnErofsImageIsSeenAsSystemdSysextSeesIt() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host must be x86-64");
        for (String strict : new String[] {"0", "1"}) {
            Path image = erofsImage("containerd.raw", "whatever", "ID=_any\n", strict);
            FlatcarRoot root = new FlatcarRoot(Files.createDirectories(dir.resolve("root-strict-" + strict)));
            Files.copy(image, root.root().resolve("var/lib/extensions/containerd.raw"));
            SysextRun check = SysextRun.of(List.of("check", image.toString(), "--os-release",
                    root.root().resolve("usr/lib/os-release").toString()));
            boolean relaxed = strict.equals("0");
            assertEquals(relaxed ? 0 : ExitCode.INPUT_ERROR.code, check.exitCode(), check::toString);
            ExternalTool t = merge(root, "containerd.raw", "");
            assertEquals(relaxed, t.output().contains("MERGED"), () -> check + "\nsystemd-sysext:\n" + t.output());
            Files.delete(image);
            deleteTree(dir.resolve("erofs-tree-containerd.raw"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void inspectShowsAnErofsImagesCountsAndRelease() throws Exception {
        Path image = erofsImage("containerd.raw", "ID=_any\nARCHITECTURE=x86-64\n");
        SysextRun r = SysextRun.of(List.of("inspect", image.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("format:             erofs\n"), r.out());
        assertTrue(r.out().contains("files:              3 (200029 bytes, 0 extra hard links)\n"), r.out());
        assertTrue(r.out().contains("extension-release:  usr/lib/extension-release.d/extension-release.containerd\n"
                + "  ID=_any\n  ARCHITECTURE=x86-64\n"), r.out());
        SysextRun json = SysextRun.of(List.of("inspect", "--json", image.toString()));
        assertTrue(json.out().contains("\"format\":\"erofs\""), json.out());
        assertTrue(json.out().contains("\"fields\":{\"ID\":\"_any\",\"ARCHITECTURE\":\"x86-64\"}"), json.out());
    }
}
