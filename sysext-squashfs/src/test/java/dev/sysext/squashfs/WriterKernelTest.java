package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Images of the edge-case tree, read back by the kernel and by unsquashfs, for every compressor. */
class WriterKernelTest {
    private static final int BLOCK = 4096;
    private static Path work;
    private static Path source;

    @BeforeAll
    static void makeTree() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "sqfs-writer-kernel");
        source = work.resolve("src");
        TestTrees.edgeCases(source, BLOCK);
    }

    @AfterAll
    static void cleanUp() {
        ImageCheck.deleteTree(work);
    }

    @ParameterizedTest(name = "{0} tailends={1} fragments={2}")
    @CsvSource({"gzip,false,true", "xz,true,true", "zstd,false,false", "lz4,true,true"})
    void kernelAndUnsquashfsReadTheEdgeCases(String comp, boolean tailEnds, boolean fragments) throws Exception {
        WriterOptions options = WriterOptions.builder().compression(Compression.fromName(comp)).blockSize(BLOCK)
                .tailEnds(tailEnds).fragments(fragments).mkfsTime(1234).build();
        Path image = ImageCheck.build(source, work.resolve(comp + ".sqfs"), options);
        assertEquals(0, Files.size(image) % 4096);
        ImageCheck.kernelMatches(source, image, work, TreeSnapshot.Aspect.ALL);
        String listing = ImageCheck.unsquashfsMatches(source, image, work, TreeSnapshot.Aspect.ALL);
        assertTrue(listing.contains("crw-r--r-- 0/0") || listing.contains("crw"), listing);
        String sb = ExternalTool.check("unsquashfs", "-s", image.toString());
        assertTrue(sb.contains("Compression " + comp), sb);
        assertTrue(sb.contains("Block size " + BLOCK), sb);

        Path theirs = work.resolve(comp + "-mksquashfs.sqfs");
        ExternalTool.check("mksquashfs", source.toString(), theirs.toString(), "-noappend", "-quiet", "-no-progress",
                "-b", String.valueOf(BLOCK), "-comp", comp, "-mkfs-time", "1234");
        ExternalTool.Result diff = ExternalTool.run("sqfsdiff", "-T", "-a", theirs.toString(), "-b", image.toString());
        assertEquals(0, diff.exitCode(), "sqfsdiff against mksquashfs:\n" + diff.output());
    }

    static Stream<WriterOptions> nonDefaultOptions() {
        return Stream.of(
                WriterOptions.builder().compression(Compression.GZIP).level(1).build(),
                WriterOptions.builder().compression(Compression.XZ).xzDictionarySize(8192)
                        .xzFilters(Set.of(XzFilter.X86, XzFilter.ARM64)).build(),
                WriterOptions.builder().compression(Compression.ZSTD).level(22).exportTable(false).build(),
                WriterOptions.builder().compression(Compression.LZ4).lz4HighCompression(true).allRoot(true)
                        .fixedInodeTime(java.util.OptionalLong.of(86400)).build(),
                WriterOptions.builder().compression(Compression.ZSTD).level(1).xattrs(false).blockSize(1 << 20).build());
    }

    /** Compressor options blocks, and the export/xattr/owner/time options, as the kernel reads them. */
    @ParameterizedTest
    @MethodSource("nonDefaultOptions")
    void kernelReadsImagesWithNonDefaultOptions(WriterOptions base) throws Exception {
        boolean xz = base.compressor() instanceof CompressorConfig.Xz;
        WriterOptions o = new WriterOptions(base.compressor(), xz ? base.blockSize() : BLOCK * 4, base.fragments(), base.tailEnds(), base.exportTable(), base.xattrs(), base.allRoot(), 1, base.fixedInodeTime(), 2,
                base.duplicates());
        Path image = ImageCheck.build(source.resolve("files"), work.resolve("opts.sqfs"), o);
        Set<TreeSnapshot.Aspect> aspects = java.util.EnumSet.of(TreeSnapshot.Aspect.MODE, TreeSnapshot.Aspect.CONTENT,
                TreeSnapshot.Aspect.HARD_LINKS);
        if (o.xattrs()) {
            aspects.add(TreeSnapshot.Aspect.XATTRS);
        }
        if (!o.allRoot()) {
            aspects.add(TreeSnapshot.Aspect.OWNER);
        }
        if (o.fixedInodeTime().isEmpty()) {
            aspects.add(TreeSnapshot.Aspect.MTIME);
        }
        ImageCheck.kernelMatches(source.resolve("files"), image, work, aspects);
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        if (o.allRoot()) {
            assertTrue(listing.lines().skip(3).allMatch(l -> l.contains(" 0/0 ")), listing);
        }
        if (o.fixedInodeTime().isPresent()) {
            assertTrue(listing.lines().skip(3).allMatch(l -> l.contains("1970-01-02 00:00")), listing);
        }
        String sb = ExternalTool.check("unsquashfs", "-s", image.toString());
        assertEquals(o.exportTable(), sb.contains("Filesystem is exportable via NFS"), sb);
        Files.delete(image);
    }
}
