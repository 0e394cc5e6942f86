package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.TarSource;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same input, same bytes: whatever the arrival order, the worker count, or whether the tree came
 * from a directory or a tar archive of it. Also checks seeded random trees with the real readers.
 */
class WriterDeterminismTest {
    private static final int BLOCK = 16384;
    private static Path work;
    private static Path source;

    @BeforeAll
    static void makeTree() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "sqfs-writer-determinism");
        source = work.resolve("src");
        TestTrees.random(source, 42, 400, BLOCK);
    }

    @AfterAll
    static void cleanUp() {
        ImageCheck.deleteTree(work);
    }

    private static WriterOptions.Builder options() {
        return WriterOptions.builder().compression(Compression.ZSTD).blockSize(BLOCK).mkfsTime(1_000_000);
    }

    @Test
    void arrivalOrderDoesNotChangeTheImage() throws Exception {
        Path sorted = ImageCheck.build(source, work.resolve("sorted.sqfs"), options().build());
        for (long seed = 1; seed <= 2; seed++) {
            Path shuffled = work.resolve("shuffled" + seed + ".sqfs");
            try (SquashfsWriter w = SquashfsWriter.create(shuffled, options().build())) {
                ShuffledArrival.add(w, source, seed);
                w.finish();
            }
            assertEquals(-1, Files.mismatch(sorted, shuffled), "shuffled arrival (seed " + seed + ") changed the image");
        }
    }

    @Test
    void workerCountDoesNotChangeTheImage() throws Exception {
        Path one = ImageCheck.build(source, work.resolve("w1.sqfs"), options().workers(1).build());
        for (int workers : new int[] {2, 3, 8}) {
            Path many = ImageCheck.build(source, work.resolve("w" + workers + ".sqfs"), options().workers(workers).build());
            assertEquals(-1, Files.mismatch(one, many), workers + " workers changed the image");
        }
    }

    @ParameterizedTest(name = "tar compressed with {0}")
    @ValueSource(strings = {"none", "gzip", "xz", "zstd"})
    void aTarOfTheTreeGivesTheSameImageAsTheTree(String compressor) throws Exception {
        Path fromDir = ImageCheck.build(source, work.resolve("dir-" + compressor + ".sqfs"), options().build());
        Path tar = work.resolve("tree-" + compressor + ".tar");
        ExternalTool.check("tar", "--sort=name", "--format=pax", "--xattrs", "--xattrs-include=user.*",
                "-C", source.toString(), "-cf", tar.toString(), ".");
        Path archive = tar;
        if (!compressor.equals("none")) {
            // Compressed in-process, so the test needs no gzip/xz/zstd programs; no extension, as
            // detection is by magic bytes, not by name.
            archive = work.resolve("archive-without-extension-" + compressor);
            try (java.io.OutputStream raw = Files.newOutputStream(archive);
                    java.io.OutputStream out = switch (compressor) {
                        case "gzip" -> new java.util.zip.GZIPOutputStream(raw);
                        case "xz" -> new org.tukaani.xz.XZOutputStream(raw, new org.tukaani.xz.LZMA2Options());
                        default -> new com.github.luben.zstd.ZstdOutputStream(raw);
                    }) {
                Files.copy(tar, out);
            }
        }
        Path fromTar = work.resolve("tar-" + compressor + ".sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(fromTar, options().build())) {
            TarSource.addArchive(w, archive, true);
            w.finish();
        }
        assertEquals(-1, Files.mismatch(fromDir, fromTar), () -> "the tar image differs from the directory image:\n"
                + ExternalTool.run("sqfsdiff", "-T", "-I", "-S", "-a", fromDir.toString(), "-b", fromTar.toString()).output());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8})
    void randomTreesMatchWithKernelUnsquashfsAndSqfsdiff(long seed) throws Exception {
        Path src = work.resolve("random" + seed);
        TestTrees.random(src, seed, 300, 8192);
        Compression c = seed % 2 == 0 ? Compression.GZIP : Compression.XZ;
        WriterOptions o = WriterOptions.builder().compression(c).blockSize(8192).mkfsTime(5).workers(2).build();
        Path ours = ImageCheck.build(src, work.resolve("random" + seed + ".sqfs"), o);
        ImageCheck.kernelMatches(src, ours, work, TreeSnapshot.Aspect.ALL);
        ImageCheck.unsquashfsMatches(src, ours, work, TreeSnapshot.Aspect.ALL);
        Path theirs = work.resolve("random" + seed + "-mksquashfs.sqfs");
        ExternalTool.check("mksquashfs", src.toString(), theirs.toString(), "-noappend", "-quiet", "-no-progress",
                "-b", "8192", "-comp", c.displayName(), "-mkfs-time", "5");
        ExternalTool.Result diff = ExternalTool.run("sqfsdiff", "-T", "-a", theirs.toString(), "-b", ours.toString());
        assertEquals(0, diff.exitCode(), diff.output());
        assertTrue(Files.size(ours) <= Files.size(theirs) * 1.02 + 8192,
                "ours " + Files.size(ours) + " bytes, mksquashfs " + Files.size(theirs));
    }
}
