package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.entry.ImageExtractReport;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import dev.sysext.squashfs.testing.TreeSnapshot.Aspect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our images read by our reader: for every compressor and the non-default options, the reader's
 * view of the tree, its extraction and its {@code verify()} must give the source back, and its
 * listing must equal {@code unsquashfs -lln} of the same image (unsquashfs is the referee).
 */
class WriterReaderRoundTripTest {
    private static Path work;
    private static Path edge;
    private static Path random1;
    private static Path random2;
    /** Source snapshots by tree and aspects: each is read once, not once per variant. */
    private static final Map<List<Object>, SortedMap<String, TreeSnapshot.Entry>> SNAPSHOTS = new HashMap<>();

    @BeforeAll
    static void makeTrees() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "sqfs-round-trip");
        edge = TestTrees.edgeCases(work.resolve("edge"), 4096);
        random1 = TestTrees.random(work.resolve("random1"), 31, 250, 4096);
        // Files sized for 64 KiB blocks: at 1 MiB the tree would hold hundreds of MiB for no more coverage.
        random2 = TestTrees.random(work.resolve("random2"), 32, 250, 65536);
    }

    @AfterAll
    static void cleanUp() {
        ImageCheck.deleteTree(work);
    }

    private static WriterOptions.Builder with(Compression c) {
        return WriterOptions.builder().compression(c).mkfsTime(1_700_000_000L);
    }

    static Stream<Arguments> variants() {
        // Every compressor on the edge-case tree, every non-default option at least once, each
        // image built once: the edge-case tree is the costly part.
        return Stream.of(
                Arguments.of("edge", with(Compression.GZIP).build()),
                Arguments.of("edge", with(Compression.XZ).blockSize(4096).fragments(false).build()),
                Arguments.of("edge", with(Compression.ZSTD).tailEnds(true).exportTable(false).xattrs(false).build()),
                Arguments.of("edge", with(Compression.LZ4).blockSize(1 << 20).allRoot(true)
                        .fixedInodeTime(OptionalLong.of(86400)).build()),
                Arguments.of("random1", with(Compression.LZ4).blockSize(4096).tailEnds(true).exportTable(false).build()),
                Arguments.of("random2", with(Compression.ZSTD).blockSize(1 << 20).fragments(false).allRoot(true)
                        .xattrs(false).build()),
                Arguments.of("random2", with(Compression.XZ).fixedInodeTime(OptionalLong.of(5)).build()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void ourReaderGivesTheSourceBack(String tree, WriterOptions options) throws Exception {
        Path source = switch (tree) {
            case "edge" -> edge;
            case "random1" -> random1;
            default -> random2;
        };
        Path image = ImageCheck.build(source, work.resolve("round-trip.sqfs"), options);
        Set<Aspect> aspects = EnumSet.allOf(Aspect.class);
        if (!options.xattrs()) {
            aspects.remove(Aspect.XATTRS);
        }
        if (options.allRoot()) {
            aspects.remove(Aspect.OWNER);
        }
        if (options.fixedInodeTime().isPresent()) {
            aspects.remove(Aspect.MTIME);
        }
        SortedMap<String, TreeSnapshot.Entry> expected = snapshot(source, aspects);
        try (SquashfsImage reader = SquashfsImage.open(image)) {
            assertEquals(options.compression(), reader.info().compression());
            assertEquals(options.blockSize(), reader.info().blockSize());
            assertEquals(options.exportTable(), reader.info().exportable());
            TreeSnapshot.assertSame(expected, TreeSnapshot.of(reader, aspects),
                    "our reader's view of our image");
            for (ImageEntry e : reader.entries()) {
                if (!options.xattrs()) {
                    assertTrue(e.xattrs().isEmpty(), e.path() + " has xattrs in an image written without them");
                }
                if (options.allRoot()) {
                    assertEquals(0, e.uid() | e.gid(), e.path() + " is not owned by root");
                }
                if (options.fixedInodeTime().isPresent()) {
                    assertEquals(options.fixedInodeTime().getAsLong(), e.mtime(), e.path() + " mtime");
                }
            }

            StringBuilder listing = new StringBuilder();
            reader.list(listing, "squashfs-root", ZoneId.systemDefault());
            assertEquals(ExternalTool.unsquashfsListing(image), listing.toString(), "our list() vs unsquashfs -lln");
            reader.verify();

            Path out = work.resolve("extracted");
            ImageExtractReport report = reader.extract(out, new ImageExtractOptions(options.xattrs(), false, true));
            assertTrue(report.skipped().isEmpty(), report.skipped().toString());
            TreeSnapshot.assertSame(expected, TreeSnapshot.of(out, aspects), "our extraction of our image");
            ImageCheck.deleteTree(out);
        }
        Files.delete(image);
    }

    private static SortedMap<String, TreeSnapshot.Entry> snapshot(Path source, Set<Aspect> aspects) throws IOException {
        List<Object> key = List.of(source, Set.copyOf(aspects));
        SortedMap<String, TreeSnapshot.Entry> s = SNAPSHOTS.get(key);
        if (s == null) {
            s = TreeSnapshot.of(source, aspects);
            SNAPSHOTS.put(key, s);
        }
        return s;
    }
}
