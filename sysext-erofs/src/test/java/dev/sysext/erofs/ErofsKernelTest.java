package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Images of the edge-case tree as the kernel mounts them and fsck.erofs checks them. */
class ErofsKernelTest {
    private static Path work;
    private static Path source;

    @BeforeAll
    static void makeTree() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "erofs-kernel");
        source = Trees.edgeCases(work.resolve("src"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static Path build(ErofsOptions options, String name) throws IOException {
        Path image = work.resolve(name);
        try (ErofsWriter w = ErofsWriter.create(image, options)) {
            w.addTree(source);
            w.finish();
        }
        return image;
    }

    /** Mounts the image and compares it with the source; returns nothing, fails on any difference. */
    static void kernelMatches(Path image, boolean owners, boolean mtimes, Path expectedTree) throws IOException {
        Path mnt = Files.createTempDirectory(work, "mnt");
        Trees.run("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
        try {
            SortedMap<String, String> want = Snapshot.of(expectedTree, owners, mtimes);
            SortedMap<String, String> got = Snapshot.of(mnt, owners, mtimes);
            assertEquals(want.keySet(), got.keySet(), "entries");
            for (String k : want.keySet()) {
                assertEquals(want.get(k), got.get(k), "entry '" + k + "'");
            }
        } finally {
            Trees.run("umount", mnt.toString());
            Files.delete(mnt);
        }
    }

    @Test
    void kernelMountsEveryEdgeCaseAsTheSource() throws IOException {
        Path image = build(ErofsOptions.of(Trees.MTIME), "edge.erofs");
        assertEquals(0, Files.size(image) % 4096);
        kernelMatches(image, true, true, source);
    }

    @Test
    void fsckErofsAcceptsTheImageAndExtractsTheSameTree() throws IOException {
        Path image = build(ErofsOptions.of(Trees.MTIME), "fsck.erofs");
        Trees.run("fsck.erofs", image.toString());
        Path out = work.resolve("fsck-out");
        Trees.run("fsck.erofs", "--extract=" + out, image.toString());
        SortedMap<String, String> want = Snapshot.of(source, true, false);
        SortedMap<String, String> got = Snapshot.of(out, true, false);
        assertEquals(want.keySet(), got.keySet(), "entries");
        for (String k : want.keySet()) {
            // The kernel test compares what fsck.erofs does not restore.
            assertEquals(withoutLinksAndXattrs(want.get(k)), withoutLinksAndXattrs(got.get(k)), "entry '" + k + "'");
        }
    }

    /** What fsck.erofs 1.5 restores: no xattrs, hard links or setuid/setgid/sticky bits (its chown clears them). */
    private static String withoutLinksAndXattrs(String entry) {
        int mode = Integer.parseInt(entry.substring(0, 6), 8) & ~07000;
        return String.format("%06o", mode) + entry.substring(6).replaceAll(" xattrs=\\{.*?\\}| linked-with=.*| nlink=\\d+", "");
    }

    @ParameterizedTest
    @CsvSource({"lz4,4096", "lz4,65536", "'lz4hc,12',65536", "'lz4hc,9',1048576", "'lz4hc,1',16384"})
    void compressedImagesMountAsTheSourceAndPassFsck(String comp, int cluster) throws IOException {
        Path image = build(ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse(comp, cluster))
                .withThreads(3), "c.erofs");
        kernelMatches(image, true, true, source);
        Trees.run("fsck.erofs", "--extract", image.toString());
        Path plain = build(ErofsOptions.of(Trees.MTIME), "plain.erofs");
        assertTrue(Files.size(image) < Files.size(plain) * 0.9, Files.size(image) + " vs " + Files.size(plain));
    }

    @Test
    void sameInputGivesTheSameBytes() throws IOException {
        byte[] a = Files.readAllBytes(build(ErofsOptions.of(Trees.MTIME), "a.erofs"));
        byte[] b = Files.readAllBytes(build(ErofsOptions.of(Trees.MTIME), "b.erofs"));
        assertArrayEquals(a, b);
    }

    @Test
    void anyThreadCountGivesTheSameCompressedBytes() throws IOException {
        ErofsOptions o = ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse("lz4", 16384));
        byte[] one = Files.readAllBytes(build(o.withThreads(1), "t1.erofs"));
        for (int threads : new int[] {2, 5}) {
            assertArrayEquals(one, Files.readAllBytes(build(o.withThreads(threads), "t.erofs")), threads + " threads");
        }
    }

    @Test
    void allRootAndFixedTimesGiveCompactInodesOwnedByRoot() throws IOException {
        ErofsOptions o = ErofsOptions.of(86400).withAllRoot(true).withFixedInodeTime(OptionalLong.of(86400));
        Path image = build(o, "root.erofs");
        Path mnt = Files.createTempDirectory(work, "mnt");
        Trees.run("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
        try {
            String listing = Trees.run("find", mnt.toString(), "-printf", "%U:%G %T@\\n");
            assertTrue(listing.lines().allMatch(l -> l.equals("0:0 86400.0000000000")), listing);
        } finally {
            Trees.run("umount", mnt.toString());
            Files.delete(mnt);
        }
        kernelMatches(image, false, false, source);
    }
}
