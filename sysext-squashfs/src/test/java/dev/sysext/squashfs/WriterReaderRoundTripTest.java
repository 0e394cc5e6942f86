package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import dev.sysext.squashfs.testing.TreeSnapshot.Aspect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
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

    @BeforeAll
    static void makeTrees() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "sqfs-round-trip");
        edge = TestTrees.edgeCases(work.resolve("edge"), 4096);
        random1 = TestTrees.random(work.resolve("random1"), 31, 250, 4096);
        random2 = TestTrees.random(work.resolve("random2"), 32, 250, 1 << 20);
    }

    @AfterAll
    static void cleanUp() {
        ImageCheck.deleteTree(work);
    }

    private static WriterOptions.Builder with(Compression c) {
        return WriterOptions.builder().compression(c).mkfsTime(1_700_000_000L);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("edge", with(Compression.GZIP).build()),
                Arguments.of("edge", with(Compression.XZ).blockSize(4096).build()),
                Arguments.of("edge", with(Compression.ZSTD).fragments(false).build()),
                Arguments.of("edge", with(Compression.LZ4).tailEnds(true).blockSize(1 << 20).build()),
                Arguments.of("edge", with(Compression.GZIP).exportTable(false).xattrs(false).build()),
                Arguments.of("edge", with(Compression.ZSTD).allRoot(true).fixedInodeTime(OptionalLong.of(86400)).build()),
                Arguments.of("random1", with(Compression.LZ4).blockSize(4096).fragments(false).build()),
                Arguments.of("random1", with(Compression.XZ).blockSize(4096).tailEnds(true).exportTable(false).build()),
                Arguments.of("random2", with(Compression.ZSTD).blockSize(1 << 20).allRoot(true).build()),
                Arguments.of("random2", with(Compression.GZIP).xattrs(false).fixedInodeTime(OptionalLong.of(5)).build()));
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
        try (SquashfsImage reader = SquashfsImage.open(image)) {
            assertEquals(options.compression(), reader.info().compression());
            assertEquals(options.blockSize(), reader.info().blockSize());
            assertEquals(options.exportTable(), reader.info().exportable());
            TreeSnapshot.assertSame(TreeSnapshot.of(source, aspects), TreeSnapshot.of(reader, aspects),
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
            Set<Aspect> extracted = EnumSet.copyOf(aspects);
            TreeSnapshot.assertSame(source, out, extracted);
            ImageCheck.deleteTree(out);
        }
        Files.delete(image);
    }
}
