package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Images of the edge-case tree as the kernel mounts them and fsck.erofs checks them. */
class ErofsKernelTest {
    private static Path work;
    private static Path source;
    private static Path sharedSource;

    @BeforeAll
    static void makeTree() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "erofs-kernel");
        source = Trees.edgeCases(work.resolve("src"));
        sharedSource = Trees.sharedXattrs(work.resolve("shared-src"));
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
        return build(source, options, name);
    }

    static Path build(Path tree, ErofsOptions options, String name) throws IOException {
        Path image = work.resolve(name);
        try (ErofsWriter w = ErofsWriter.create(image, options)) {
            w.addTree(tree);
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

    @ParameterizedTest
    @ValueSource(strings = {"none", "lz4hc,12"})
    void sharedXattrsShowOnEveryFileInTheKernelFsckAndOurReader(String comp) throws IOException {
        ErofsOptions o = ErofsOptions.of(Trees.MTIME).withThreads(2);
        if (!comp.equals("none")) {
            o = o.withCompression(ErofsCompression.parse(comp, 65536));
        }
        Path image = build(sharedSource, o, "shared.erofs");
        kernelMatches(image, true, true, sharedSource);
        Path mnt = Files.createTempDirectory(work, "mnt");
        Trees.run("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
        try (ErofsImage img = ErofsImage.open(image)) {
            var kernel = Snapshot.getfattr(mnt);
            assertEquals(Snapshot.getfattr(sharedSource), kernel, "xattrs the kernel shows");
            assertEquals(kernel, Snapshot.xattrs(img), "xattrs our reader reads");
        } finally {
            Trees.run("umount", mnt.toString());
            Files.delete(mnt);
        }
        Trees.run("fsck.erofs", "--extract", image.toString());
        byte[] b = Files.readAllBytes(image);
        assertTrue(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(1024 + 0x2C) > 0, "xattr_blkaddr");
        // On 1,004 inodes, on three, on two: stored once, once, and inline in both files.
        assertEquals(1, occurrences(b, "some-shared-value"));
        assertEquals(1, occurrences(b, "thrice-value"));
        assertEquals(2, occurrences(b, "twice-value"));
    }

    @Test
    void sharedXattrsSaveWhatMkfsErofsSaves() throws IOException {
        long ours = Files.size(build(sharedSource, ErofsOptions.of(Trees.MTIME), "ours-shared.erofs"));
        long oursInline = Files.size(build(sharedSource,
                ErofsOptions.of(Trees.MTIME).withXattrTolerance(ErofsOptions.NO_SHARED_XATTRS), "ours-inline.erofs"));
        long mkfs = mkfsSize("-x2");
        long mkfsInline = mkfsSize("-x" + Integer.MAX_VALUE);
        System.out.println("1,000 files with two common xattrs: ours " + ours + " bytes (all inline " + oursInline
                + "), mkfs.erofs " + mkfs + " (all inline " + mkfsInline + ")");
        assertTrue(mkfs < mkfsInline, "mkfs.erofs shares nothing: " + mkfs + " vs " + mkfsInline);
        assertTrue(oursInline - ours >= mkfsInline - mkfs, "we save " + (oursInline - ours) + " bytes, mkfs.erofs "
                + (mkfsInline - mkfs));
    }

    private static long mkfsSize(String tolerance) throws IOException {
        Path image = work.resolve("mkfs.erofs");
        Files.deleteIfExists(image);
        Trees.run("mkfs.erofs", "-T" + Trees.MTIME, tolerance, image.toString(), sharedSource.toString());
        return Files.size(image);
    }

    @Test
    void xattrsThatNoThreeInodesShareKeepTheImageAsWithoutSharing() throws IOException {
        byte[] shared = Files.readAllBytes(build(ErofsOptions.of(Trees.MTIME), "x2.erofs"));
        byte[] inline = Files.readAllBytes(build(ErofsOptions.of(Trees.MTIME)
                .withXattrTolerance(ErofsOptions.NO_SHARED_XATTRS), "xmax.erofs"));
        assertArrayEquals(inline, shared);
    }

    /**
     * 300 files whose xattrs come from a small pool, one group of three with 300 common xattrs
     * (more than the 255 shared ids an ibody header counts), added in two orders and compressed
     * with one and three threads: the same bytes, and the kernel shows every xattr.
     */
    @Test
    void theSharedTableDependsNeitherOnArrivalOrderNorOnThreads() throws IOException {
        SortedMap<String, SortedMap<String, String>> want = new TreeMap<>();
        List<String> names = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            String name = "f" + i;
            SortedMap<String, String> x = new TreeMap<>();
            for (int k = 0; k < 4; k++) {
                x.put("user.pool" + r.nextInt(6), HexFormat.of().formatHex(new byte[] {(byte) r.nextInt(3), 0, 7}));
            }
            if (i < 3) {
                for (int k = 0; k < 300; k++) {
                    x.put("user.many" + k, HexFormat.of().formatHex(("v" + k).getBytes(StandardCharsets.UTF_8)));
                }
            }
            names.add(name);
            want.put(name, x);
        }
        ErofsOptions o = ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse("lz4", 16384));
        byte[] forward = Files.readAllBytes(buildFrom(want, names, o.withThreads(1), "fwd.erofs"));
        List<String> reversed = new ArrayList<>(names);
        Collections.reverse(reversed);
        Path image = buildFrom(want, reversed, o.withThreads(3), "rev.erofs");
        assertArrayEquals(forward, Files.readAllBytes(image));
        Path mnt = Files.createTempDirectory(work, "mnt");
        Trees.run("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
        try {
            assertEquals(want, Snapshot.getfattr(mnt));
        } finally {
            Trees.run("umount", mnt.toString());
            Files.delete(mnt);
        }
        Trees.run("fsck.erofs", image.toString());
    }

    private static Path buildFrom(SortedMap<String, SortedMap<String, String>> xattrs, List<String> order,
            ErofsOptions options, String name) throws IOException {
        Path image = work.resolve(name);
        try (ErofsWriter w = ErofsWriter.create(image, options)) {
            for (String f : order) {
                Map<String, byte[]> x = new LinkedHashMap<>();
                xattrs.get(f).forEach((k, v) -> x.put(k, HexFormat.of().parseHex(v)));
                // Content small enough to sit inline (blocks are laid out in arrival order); the files
                // with 300 xattrs are empty, as their inline xattrs leave no room for a tail at arrival.
                byte[] content = xattrs.get(f).size() > 100 ? new byte[0] : f.getBytes(StandardCharsets.UTF_8);
                w.file(f, EntryMetadata.of(0644, 0, 0, Trees.MTIME).withXattrs(x), new ByteArrayInputStream(content),
                        content.length);
            }
            w.finish();
        }
        return image;
    }

    private static int occurrences(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        int count = 0;
        for (int i = 0; i + n.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + n.length, n, 0, n.length)) {
                count++;
            }
        }
        return count;
    }
}
