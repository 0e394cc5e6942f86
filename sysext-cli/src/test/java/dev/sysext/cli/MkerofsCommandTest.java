package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MkerofsCommandTest {

    private record Result(int exitCode, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MkerofsCommand(env)).setExecutionExceptionHandler(new FailureHandler());
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
    void aDirectoryImageMountsAndMatches(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Path img = dir.resolve("out.raw");
        Result r = run(Map.of(), src.toString(), img.toString(), "--comp", "none", "--all-root", "--mkfs-time", "1700000000");
        assertEquals(0, r.exitCode(), r.err());
        ExternalTool.output("fsck.erofs", img.toString());
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        ExternalTool.output("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString());
        try {
            assertEquals(Files.readString(src.resolve("usr/bin/containerd")), Files.readString(mnt.resolve("usr/bin/containerd")));
            assertEquals(Path.of("containerd"), Files.readSymbolicLink(mnt.resolve("usr/bin/ctr")));
            assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(mnt.resolve("usr/bin/containerd")).toMillis());
            assertEquals("0:0", ExternalTool.output("stat", "-c", "%u:%g", mnt.resolve("usr/bin/containerd").toString()).trim());
        } finally {
            ExternalTool.output("umount", mnt.toString());
        }
    }

    @Test
    void aTarArchiveGivesTheSameImageAsItsDirectory(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Path tar = dir.resolve("src.tar.gz");
        ExternalTool.output("tar", "-C", src.toString(), "-czf", tar.toString(), "--sort=name", "--owner=0", "--group=0", ".");
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "86400");
        Result a = run(env, src.toString(), dir.resolve("a.raw").toString(), "--comp", "none", "--all-root");
        Result b = run(env, tar.toString(), dir.resolve("b.raw").toString(), "--comp", "none", "--all-root");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        // The root's own mode comes from the tar's "./" entry and the directory alike.
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.raw")), Files.readAllBytes(dir.resolve("b.raw")));
    }

    @Test
    void theBakeryDefaultsCompressAndTheKernelReadsThem(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        Path img = dir.resolve("x.raw");
        Result r = run(Map.of(), src.toString(), img.toString(), "--all-root");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("lz4hc,12 cluster 65536"), r.err());
        ExternalTool.output("fsck.erofs", "--extract", img.toString());
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        ExternalTool.output("mount", "-t", "erofs", "-o", "loop,ro", img.toString(), mnt.toString());
        try {
            assertEquals(Files.readString(src.resolve("usr/bin/containerd")), Files.readString(mnt.resolve("usr/bin/containerd")));
            // 13 KB of repeated text compress to a few dozen bytes, packed after the inode: no block.
            assertEquals("0", ExternalTool.output("stat", "-c", "%b", mnt.resolve("usr/bin/containerd").toString()).trim());
        } finally {
            ExternalTool.output("umount", mnt.toString());
        }
        Result bad = run(Map.of(), src.toString(), dir.resolve("y.raw").toString(), "--comp", "zstd");
        assertEquals(ExitCode.USAGE.code, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("'zstd': not none, lz4 or lz4hc"), bad.err());
        Result level = run(Map.of(), src.toString(), dir.resolve("y.raw").toString(), "--comp", "lz4hc,13");
        assertEquals(ExitCode.USAGE.code, level.exitCode(), level.err());
        assertTrue(level.err().contains("level 13 does not fit lz4hc (1..12)"), level.err());
        assertFalse(Files.exists(dir.resolve("y.raw")));
    }

    @Test
    void badInputIsNamedAndLeavesNoImage(@TempDir Path dir) throws Exception {
        Result r = run(Map.of(), dir.resolve("missing").toString(), dir.resolve("x.raw").toString(), "--comp", "none");
        assertEquals(ExitCode.INPUT_ERROR.code, r.exitCode(), r.err());
        assertTrue(r.err().contains("missing: no such directory or tar archive"), r.err());
        Files.writeString(dir.resolve("not.tar"), "plain text, not a tar archive at all".repeat(30));
        Result t = run(Map.of(), dir.resolve("not.tar").toString(), dir.resolve("x.raw").toString(), "--comp", "none");
        assertTrue(t.exitCode() != 0, t.err());
        assertTrue(t.err().contains("not.tar"), t.err());
        assertFalse(Files.exists(dir.resolve("x.raw")));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".x.raw")), "no temporary file is left");
        }
    }

    @Test
    void anXattrOnMoreThanTwoEntriesIsStoredOnceUnlessTheToleranceSaysOtherwise(@TempDir Path dir) throws Exception {
        Path src = tree(dir);
        byte[] value = "security label shared by three".getBytes(StandardCharsets.UTF_8);
        for (String name : new String[] {"a", "b", "c"}) {
            Path f = src.resolve("usr/bin/" + name);
            Files.writeString(f, name);
            Files.getFileAttributeView(f, UserDefinedFileAttributeView.class).write("label", ByteBuffer.wrap(value));
        }
        Path shared = dir.resolve("shared.raw");
        Result r = run(Map.of(), src.toString(), shared.toString(), "--comp", "none", "--mkfs-time", "0");
        assertEquals(0, r.exitCode(), r.err());
        Path inline = dir.resolve("inline.raw");
        Result i = run(Map.of(), src.toString(), inline.toString(), "--comp", "none", "--mkfs-time", "0", "-x", "3");
        assertEquals(0, i.exitCode(), i.err());
        assertEquals(1, occurrences(Files.readAllBytes(shared), value));
        assertEquals(3, occurrences(Files.readAllBytes(inline), value));
        ExternalTool.output("fsck.erofs", shared.toString());
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        ExternalTool.output("mount", "-t", "erofs", "-o", "loop,ro", shared.toString(), mnt.toString());
        try {
            for (String name : new String[] {"a", "b", "c"}) {
                assertEquals("security label shared by three", ExternalTool.output("getfattr", "--absolute-names", "--only-values", "-n", "user.label",
                        mnt.resolve("usr/bin/" + name).toString()));
            }
        } finally {
            ExternalTool.output("umount", mnt.toString());
        }
        Result bad = run(Map.of(), src.toString(), dir.resolve("y.raw").toString(), "-x", "-1");
        assertEquals(ExitCode.USAGE.code, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--xattr-tolerance: -1 is negative"), bad.err());
        assertFalse(Files.exists(dir.resolve("y.raw")));
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int count = 0;
        for (int k = 0; k + needle.length <= haystack.length; k++) {
            if (Arrays.equals(haystack, k, k + needle.length, needle, 0, needle.length)) {
                count++;
            }
        }
        return count;
    }
}
