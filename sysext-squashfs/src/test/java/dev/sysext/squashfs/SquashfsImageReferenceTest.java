package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.entry.ImageExtractReport;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.LoopMount;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads images made by the reference tools (mksquashfs 4.5, gensquashfs) from an edge-case tree
 * and checks the reader three ways: its view of the tree against the source on disk, its listing
 * against {@code unsquashfs -lln} line for line, and its extraction against the source again.
 */
class SquashfsImageReferenceTest {
    @TempDir
    static Path work;
    static Path edge;
    static SortedMap<String, TreeSnapshot.Entry> edgeWithXattrs;
    static SortedMap<String, TreeSnapshot.Entry> edgeWithoutXattrs;

    @BeforeAll
    static void buildTree() throws Exception {
        edge = TestTrees.edgeCases(work.resolve("edge"), 4096, 131072, 1 << 20);
        // Zeros written as data, not holes: mksquashfs stores them as sparse blocks of a basic inode
        // (it marks only files with holes sparse), a case our writer never produces.
        Files.write(edge.resolve("sizes/zeros-262144"), new byte[262144]);
        TestTrees.fixTimes(edge, 1_700_000_000L);
        edgeWithXattrs = TreeSnapshot.of(edge, TreeSnapshot.Aspect.ALL);
        edgeWithoutXattrs = TreeSnapshot.of(edge, TreeSnapshot.Aspect.allBut(TreeSnapshot.Aspect.XATTRS));
    }

    /** mksquashfs images of the edge tree by option list, each built once per class. */
    private static final Map<List<String>, Path> IMAGES = new HashMap<>();

    private static synchronized Path mksquashfsImage(List<String> args) {
        return IMAGES.computeIfAbsent(List.copyOf(args),
                a -> ExternalTool.mksquashfs(edge, work.resolve("edge-" + IMAGES.size() + ".sqfs"), a.toArray(String[]::new)));
    }

    private static Set<TreeSnapshot.Aspect> aspects(boolean xattrs) {
        return xattrs ? TreeSnapshot.Aspect.ALL : TreeSnapshot.Aspect.allBut(TreeSnapshot.Aspect.XATTRS);
    }

    static Stream<Arguments> mksquashfsVariants() {
        return Stream.of(
                Arguments.of(Compression.GZIP, List.of()),
                Arguments.of(Compression.GZIP, List.of("-Xcompression-level", "1", "-no-fragments")),
                Arguments.of(Compression.XZ, List.of()),
                Arguments.of(Compression.XZ, List.of("-Xbcj", "x86", "-b", "1M")),
                Arguments.of(Compression.ZSTD, List.of("-tailends")),
                Arguments.of(Compression.ZSTD, List.of("-Xcompression-level", "3", "-no-exports")),
                Arguments.of(Compression.LZ4, List.of("-b", "4096")),
                Arguments.of(Compression.LZ4, List.of("-Xhc", "-always-use-fragments")),
                Arguments.of(Compression.GZIP, List.of("-noI", "-noD", "-noF", "-noX", "-noId")),
                Arguments.of(Compression.GZIP, List.of("-no-xattrs", "-no-duplicates")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mksquashfsVariants")
    void readsMksquashfsImages(Compression comp, List<String> options, @TempDir Path dir) throws Exception {
        Path img = mksquashfsImage(Stream.concat(Stream.of("-comp", comp.displayName()), options.stream()).toList());
        boolean xattrs = !options.contains("-no-xattrs");
        checkImage(img, comp, xattrs ? edgeWithXattrs : edgeWithoutXattrs, xattrs, dir);
    }

    @ParameterizedTest(name = "gensquashfs {0}")
    @MethodSource("compressors")
    void readsGensquashfsImages(Compression comp, @TempDir Path dir) throws Exception {
        Path img = ExternalTool.gensquashfs(edge, dir.resolve("edge.sqfs"), "-c", comp.displayName());
        // gensquashfs --pack-dir does not detect hard links, drops empty xattr values and gives the
        // root mtime 0: the image differs from the source, so a reference reader's view is the expectation.
        SortedMap<String, TreeSnapshot.Entry> expected;
        if (comp == Compression.LZ4) {
            // unsquashfs 4.5.1 rejects gensquashfs' lz4 images ("failed to read id table block"); the kernel reads them.
            try (LoopMount mnt = LoopMount.mount(img, dir)) {
                expected = TreeSnapshot.of(mnt.root(), TreeSnapshot.Aspect.ALL);
            }
        } else {
            Path reference = dir.resolve("unsquashfs");
            ExternalTool.stdout("unsquashfs", "-q", "-n", "-d", reference.toString(), img.toString());
            expected = TreeSnapshot.of(reference, TreeSnapshot.Aspect.ALL);
        }
        checkImage(img, comp, expected, true, comp != Compression.LZ4, dir);
    }

    static Stream<Compression> compressors() {
        return Stream.of(Compression.GZIP, Compression.XZ, Compression.ZSTD, Compression.LZ4);
    }

    private static void checkImage(Path img, Compression comp, SortedMap<String, TreeSnapshot.Entry> expected, boolean xattrs, Path dir)
            throws Exception {
        checkImage(img, comp, expected, xattrs, true, dir);
    }

    private static void checkImage(Path img, Compression comp, SortedMap<String, TreeSnapshot.Entry> expected, boolean xattrs,
            boolean compareListing, Path dir) throws Exception {
        try (SquashfsImage image = SquashfsImage.open(img)) {
            assertEquals(comp, image.info().compression());
            TreeSnapshot.assertSame(expected, TreeSnapshot.of(image, aspects(xattrs)), "reader's view of the tree");

            if (compareListing) {
                StringBuilder listing = new StringBuilder();
                image.list(listing, "squashfs-root", ZoneId.systemDefault());
                assertEquals(ExternalTool.unsquashfsListing(img), listing.toString(), "listing vs unsquashfs -lln");
            }
            image.verify();

            Path out = dir.resolve("extracted");
            ImageExtractReport report = image.extract(out, new ImageExtractOptions(true, false, true));
            assertTrue(report.skipped().isEmpty(), report.skipped().toString());
            TreeSnapshot.assertSame(expected, TreeSnapshot.of(out, aspects(xattrs)), "extracted tree");
        }
    }

    @Test
    void randomTreesMatchTheirSource(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            int blockSize = seed == 2 ? 4096 : 131072;
            Path src = TestTrees.random(dir.resolve("src" + seed), seed, 400, blockSize);
            Path img = ExternalTool.mksquashfs(src, dir.resolve("random" + seed + ".sqfs"), "-b",
                    Integer.toString(blockSize), "-comp", seed == 3 ? "zstd" : "gzip");
            try (SquashfsImage image = SquashfsImage.open(img)) {
                TreeSnapshot.assertSame(TreeSnapshot.of(src, TreeSnapshot.Aspect.ALL), TreeSnapshot.of(image, TreeSnapshot.Aspect.ALL),
                        "seed " + seed);
                StringBuilder listing = new StringBuilder();
                image.list(listing, "squashfs-root", ZoneId.systemDefault());
                assertEquals(ExternalTool.unsquashfsListing(img), listing.toString(), "seed " + seed);
                image.verify();
            }
        }
    }

    @Test
    void lookupFindsEntriesAndReportsMissingOnes() throws Exception {
        Path img = mksquashfsImage(List.of("-comp", "gzip"));
        try (SquashfsImage image = SquashfsImage.open(img)) {
            ImageEntry f = image.lookup("/sizes/text-131073").orElseThrow();
            assertEquals(131073, f.size());
            assertEquals(ImageEntryType.FILE, f.type());
            assertEquals(Files.size(edge.resolve("sizes/text-131073")), f.size());
            assertEquals("sizes/text-131073", f.path());
            ImageEntry dev = image.lookup("dev/big-numbers").orElseThrow();
            assertEquals(300, dev.deviceMajor());
            assertEquals(70000, dev.deviceMinor());
            assertEquals("../sizes/text-1", image.lookup("links/to-text-1").orElseThrow().symlinkTarget());
            assertEquals("", image.lookup("").orElseThrow().path());
            assertFalse(image.lookup("files/missing").isPresent());
            assertFalse(image.lookup("sizes/text-1/below-a-file").isPresent());
            assertFalse(image.lookup("files/../files").isPresent());
            ImageEntry x = image.lookup("xattrs-shared/x0").orElseThrow();
            assertEquals(3, x.xattrs().size());
            assertTrue(image.info().exportable());
            assertEquals(131072, image.info().blockSize());
            assertEquals(new CompressorConfig.Gzip(9), image.info().compressor());
        }
    }
}
