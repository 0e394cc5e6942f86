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
}
