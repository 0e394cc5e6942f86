package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sysext unsquashfs} and {@code sysext inspect} on images made by mksquashfs. */
class SquashfsCommandsTest {
    @TempDir
    static Path work;
    static Path image;

    private static String tool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    @BeforeAll
    static void buildImage() throws Exception {
        Path src = work.resolve("src");
        Path release = Files.createDirectories(src.resolve("usr/lib/extension-release.d"));
        Files.writeString(release.resolve("extension-release.containerd"),
                "# made by a test\nID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=\"x86-64\"\n\nEXTENSION_RELOAD_MANAGER=1\n");
        Path bin = Files.createDirectories(src.resolve("usr/bin"));
        Files.writeString(bin.resolve("containerd"), "#!/bin/sh\necho containerd\n".repeat(5000));
        Files.setPosixFilePermissions(bin.resolve("containerd"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(bin.resolve("ctr"), Path.of("containerd"));
        image = work.resolve("containerd.raw");
        tool("mksquashfs", src.toString(), image.toString(), "-noappend", "-quiet", "-no-progress", "-comp", "zstd",
                "-Xcompression-level", "7", "-all-root");
    }

    @Test
    void listMatchesUnsquashfs() throws Exception {
        SysextRun r = SysextRun.run("unsquashfs", "--list", image.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(tool("unsquashfs", "-lln", image.toString()), r.out());
    }

    @Test
    void extractsAndRefusesToOverwriteWithoutForce() throws Exception {
        Path dest = work.resolve("extracted");
        SysextRun r = SysextRun.run("unsquashfs", "--dest", dest.toString(), image.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 files, 1 symlinks"), r.out());
        Path reference = work.resolve("reference");
        tool("unsquashfs", "-q", "-n", "-d", reference.toString(), image.toString());
        assertEquals(Files.readString(reference.resolve("usr/bin/containerd")), Files.readString(dest.resolve("usr/bin/containerd")));
        assertEquals(Path.of("containerd"), Files.readSymbolicLink(dest.resolve("usr/bin/ctr")));
        assertEquals(Files.getPosixFilePermissions(reference.resolve("usr/bin/containerd")),
                Files.getPosixFilePermissions(dest.resolve("usr/bin/containerd")));

        SysextRun again = SysextRun.run("unsquashfs", "--dest", dest.toString(), image.toString());
        assertEquals(3, again.exitCode());
        assertEquals(1, again.err().lines().count(), again.err());
        assertTrue(again.err().startsWith("sysext: error: ") && again.err().contains("not empty"), again.err());

        SysextRun forced = SysextRun.run("unsquashfs", "--force", "--dest", dest.toString(), image.toString());
        assertEquals(0, forced.exitCode(), forced.err());
    }

    @Test
    void inspectShowsCompressorCountsAndRelease() throws Exception {
        SysextRun r = SysextRun.run("inspect", image.toString());
        assertEquals(0, r.exitCode(), r.err());
        String superblock = tool("unsquashfs", "-s", image.toString());
        String inodes = superblock.lines().filter(l -> l.startsWith("Number of inodes")).findFirst().orElseThrow()
                .replaceAll("\\D", "");
        assertTrue(r.out().contains("compressor:         zstd level=7 (options stored)"), r.out());
        assertTrue(r.out().contains("inodes:             " + inodes + "\n"), r.out());
        assertTrue(r.out().contains("files:              2 "), r.out());
        assertTrue(r.out().contains("directories:        5\n"), r.out());
        assertTrue(r.out().contains("symlinks:           1\n"), r.out());
        assertTrue(r.out().contains("extension-release:  usr/lib/extension-release.d/extension-release.containerd"), r.out());
        assertTrue(r.out().contains("  ARCHITECTURE=x86-64\n"), r.out());

        SysextRun json = SysextRun.run("inspect", "--json", image.toString());
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().contains("\"compressor\":\"zstd\",\"compressorOptions\":{\"level\":7}"), json.out());
        assertTrue(json.out().contains("\"fields\":{\"ID\":\"flatcar\",\"SYSEXT_LEVEL\":\"1.0\",\"ARCHITECTURE\":\"x86-64\","
                + "\"EXTENSION_RELOAD_MANAGER\":\"1\"}"), json.out());
        assertTrue(json.out().contains("\"inodes\":" + inodes + ","), json.out());
    }

    @Test
    void corruptOrMissingImagesAreInputErrors() throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        Path truncated = work.resolve("truncated.raw");
        long bytesUsed = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(40);
        Files.write(truncated, Arrays.copyOf(bytes, (int) bytesUsed - 10)); // the padding alone would not matter
        Path flipped = work.resolve("flipped.raw");
        byte[] f = bytes.clone();
        f[0] ^= 1;
        Files.write(flipped, f);
        for (List<String> args : List.of(
                List.of("inspect", truncated.toString()),
                List.of("unsquashfs", "--list", truncated.toString()),
                List.of("unsquashfs", "--dest", work.resolve("never").toString(), flipped.toString()),
                List.of("inspect", work.resolve("missing.raw").toString()))) {
            SysextRun r = SysextRun.of(args);
            assertEquals(3, r.exitCode(), args + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("sysext: error: " + args.get(args.size() - 1) + ": "), r.err());
        }
        assertTrue(Files.notExists(work.resolve("never")));
    }
}
