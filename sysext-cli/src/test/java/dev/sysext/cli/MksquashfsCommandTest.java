package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MksquashfsCommandTest {

    private record Result(int exitCode, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MksquashfsCommand(env)).setExecutionExceptionHandler(new FailureHandler());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Result(cl.execute(args), err.toString());
    }

    private static Path tree(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/usr/bin"));
        Files.writeString(src.resolve("containerd"), "#!/bin/sh\necho containerd\n".repeat(500));
        Files.createSymbolicLink(src.resolve("ctr"), Path.of("containerd"));
        Files.setLastModifiedTime(src.resolve("containerd"), FileTime.fromMillis(1_600_000_000_000L));
        return dir.resolve("src");
    }

    @Test
    void progressShowsFilesAndBytesInOnlyWhenWanted(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        long size = Files.size(src.resolve("usr/bin/containerd"));
        Result live = run(Map.of("SYSEXT_PROGRESS", "always"), src.toString(), dir.resolve("live.raw").toString());
        assertEquals(0, live.exitCode(), live.err());
        // The first report is always drawn: the one file, all its bytes in, and a size out.
        assertTrue(live.err().contains("\rwriting live.raw  1 file  " + Sizes.bytes(size) + " in  "), live.err());
        assertTrue(live.err().matches("(?s).*\\r\\u001b\\[Kwrote \\S+live\\.raw \\(.*"), "the live line is cleared: " + live.err());

        Result plain = run(Map.of("SYSEXT_PROGRESS", "never"), src.toString(), dir.resolve("plain.raw").toString());
        assertEquals(0, plain.exitCode(), plain.err());
        CliContractTest.assertPlain(plain.err());
        assertTrue(plain.err().matches("wrote \\S+plain\\.raw \\(1 files?, .+ in, .+ out\\)\\R"), plain.err());
    }

    @Test
    void threadsAndItsMksquashfsAliasProcessorsGiveTheSameImage(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Result one = run(Map.of(), src.toString(), dir.resolve("one.raw").toString(), "--threads", "1", "--mkfs-time", "0");
        assertEquals(0, one.exitCode(), one.err());
        Result three = run(Map.of(), src.toString(), dir.resolve("three.raw").toString(), "--processors", "3",
                "--mkfs-time", "0");
        assertEquals(0, three.exitCode(), three.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("one.raw")),
                Files.readAllBytes(dir.resolve("three.raw"))));
        Result bad = run(Map.of(), src.toString(), dir.resolve("bad.raw").toString(), "--threads", "x");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--threads"), bad.err());
    }

    @Test
    void aDirectoryImageMountsAndMatches(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Path img = dir.resolve("out.raw");
        Result r = run(Map.of(), src.toString(), img.toString(), "--comp", "zstd", "--level", "3", "--block-size", "64K",
                "--all-root", "--mkfs-time", "1700000000");
        assertEquals(0, r.exitCode(), r.err());
        String sb = ExternalTool.output("unsquashfs", "-s", img.toString());
        assertTrue(sb.contains("Compression zstd") && sb.contains("Block size 65536"), sb);
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        ExternalTool.output("mount", "-t", "squashfs", "-o", "loop,ro", img.toString(), mnt.toString());
        try {
            assertEquals(Files.readString(src.resolve("usr/bin/containerd")), Files.readString(mnt.resolve("usr/bin/containerd")));
            assertEquals(Path.of("containerd"), Files.readSymbolicLink(mnt.resolve("usr/bin/ctr")));
            assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(mnt.resolve("usr/bin/containerd")).toMillis());
        } finally {
            ExternalTool.output("umount", mnt.toString());
        }
    }

    @Test
    void duplicatesAreRemovedUnlessNoDuplicates(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Files.copy(src.resolve("usr/bin/containerd"), src.resolve("usr/bin/containerd-copy"));
        Path img = dir.resolve("dedup.raw");
        assertEquals(0, run(Map.of(), src.toString(), img.toString(), "--block-size", "4K").exitCode());
        assertTrue(ExternalTool.output("unsquashfs", "-s", img.toString()).contains("Duplicates are removed"));
        Path plain = dir.resolve("plain.raw");
        assertEquals(0, run(Map.of(), src.toString(), plain.toString(), "--block-size", "4K", "--no-duplicates").exitCode());
        assertTrue(ExternalTool.output("unsquashfs", "-s", plain.toString()).contains("Duplicates are not removed"));
        // Both images are padded to 4 KiB; the copy's compressed blocks only go into the second.
        String bytesUsed = "Filesystem size ([0-9]+) bytes";
        long dedup = Long.parseLong(ExternalTool.output("unsquashfs", "-s", img.toString()).replaceAll("(?s).*" + bytesUsed + ".*", "$1"));
        long nodup = Long.parseLong(ExternalTool.output("unsquashfs", "-s", plain.toString()).replaceAll("(?s).*" + bytesUsed + ".*", "$1"));
        assertTrue(dedup < nodup, dedup + " vs " + nodup);
    }

    @Test
    void sourceDateEpochSetsEveryTime(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Path tar = dir.resolve("src.tgz");
        ExternalTool.output("tar", "-C", src.toString(), "-czf", tar.toString(), ".");
        Path img = dir.resolve("out.raw");
        Result r = run(Map.of("SOURCE_DATE_EPOCH", "1234567890"), tar.toString(), img.toString(), "--comp", "xz",
                "--xz-bcj", "x86,arm64", "--block-size", "131072");
        assertEquals(0, r.exitCode(), r.err());
        String listing = ExternalTool.output("unsquashfs", "-lln", img.toString());
        assertTrue(listing.contains("2009-02-13 23:31 squashfs-root/usr/bin/containerd"), listing);
        assertTrue(ExternalTool.output("unsquashfs", "-s", img.toString()).contains("Fri Feb 13 23:31:30 2009"));
        // mksquashfs refuses both ways of setting times at once; so do we.
        r = run(Map.of("SOURCE_DATE_EPOCH", "1"), src.toString(), img.toString(), "--mkfs-time", "5");
        assertEquals(ExitCode.USAGE.code, r.exitCode(), r.err());
    }

    @Test
    void badInputFailsCleanlyAndKeepsTheOldImage(@TempDir Path dir) throws Exception {
        Path img = Files.writeString(dir.resolve("old.raw"), "previous");
        Result r = run(Map.of(), dir.resolve("missing").toString(), img.toString());
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r.err());
        assertTrue(r.err().contains("missing"), r.err());

        Path garbage = Files.writeString(dir.resolve("garbage.tar.gz"), "not an archive".repeat(100));
        r = run(Map.of(), garbage.toString(), img.toString());
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("sysext: error: ") && r.err().contains("garbage.tar.gz"), r.err());

        Path src = tree(dir);
        for (String[] bad : new String[][] {{"--block-size", "100K"}, {"--block-size", "2M"}, {"--block-size", "lots"},
                {"--comp", "lzma"}, {"--comp", "lz4", "--level", "3"}, {"--level", "10"}, {"--xz-bcj", "mips"}}) {
            String[] args = new String[bad.length + 2];
            args[0] = src.toString();
            args[1] = img.toString();
            System.arraycopy(bad, 0, args, 2, bad.length);
            r = run(Map.of(), args);
            assertEquals(ExitCode.USAGE.code, r.exitCode(), String.join(" ", bad) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertEquals("previous", Files.readString(img));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "temporary files left behind");
        }
    }

    @Test
    void mainListsTheCommand() {
        assertEquals(0, Main.commandLine().execute("mksquashfs", "--help"));
    }
}
