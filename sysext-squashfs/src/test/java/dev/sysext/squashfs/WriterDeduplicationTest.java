package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deduplication: identical files share their blocks and fragment, identical small files and tails
 * share a fragment slice, and files that only start alike are kept apart. Placement is read with
 * squashfs-tools-ng's {@code rdsquashfs -s}; content with the kernel and unsquashfs.
 */
class WriterDeduplicationTest {
    private static final int BLOCK = 4096;
    private static final Set<TreeSnapshot.Aspect> CONTENT = EnumSet.of(TreeSnapshot.Aspect.CONTENT, TreeSnapshot.Aspect.MODE);
    private static Path work;
    private static Path source;
    /** The source without its duplicates. */
    private static Path unique;

    @BeforeAll
    static void makeTree() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "sqfs-dedup");
        source = work.resolve("src");
        unique = work.resolve("unique");
        Random r = new Random(7);
        byte[] big = TestTrees.text(r, 5 * BLOCK + 1000);
        byte[] head = TestTrees.text(r, BLOCK);
        byte[] firstOnly1 = concat(head, TestTrees.text(r, 2 * BLOCK + 300));
        byte[] firstOnly2 = concat(head, TestTrees.text(r, 2 * BLOCK + 300));
        byte[] tail = TestTrees.text(r, 700);
        byte[] tailed1 = concat(TestTrees.text(r, 2 * BLOCK), tail);
        byte[] tailed2 = concat(TestTrees.text(r, 3 * BLOCK), tail);
        byte[] small = TestTrees.text(r, 900);
        byte[] sparse = new byte[3 * BLOCK + 10];
        for (Path root : List.of(source, unique)) {
            write(root, "a/big", big);
            write(root, "first-block-1", firstOnly1);
            write(root, "first-block-2", firstOnly2);
            write(root, "tailed-1", tailed1);
            write(root, "tailed-2", tailed2);
            write(root, "small-1", small);
            write(root, "sparse-1", sparse);
        }
        write(source, "b/big-copy", big);
        write(source, "c/d/big-copy", big);
        write(source, "small-2", small);
        write(source, "sparse-2", sparse);
        TestTrees.fixTimes(source, 1_000_000);
        TestTrees.fixTimes(unique, 1_000_000);
    }

    @AfterAll
    static void cleanUp() {
        ImageCheck.deleteTree(work);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void write(Path root, String name, byte[] content) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }

    private static WriterOptions options(boolean tailEnds, int workers) {
        return WriterOptions.builder().compression(Compression.ZSTD).level(3).blockSize(BLOCK).tailEnds(tailEnds)
                .workers(workers).mkfsTime(1).build();
    }

    /** Adds the tree's files as streams, in reverse name order (another arrival order than the walk's). */
    private static Path buildStreamed(Path root, Path image, WriterOptions options) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted(java.util.Comparator.reverseOrder()).forEach(files::add);
        }
        try (SquashfsWriter w = SquashfsWriter.create(image, options)) {
            w.directory("", EntryMetadata.of(0755, 0, 0, 1_000_000));
            for (Path f : files) {
                String rel = root.relativize(f).toString();
                Path parent = root.relativize(f.getParent());
                if (!parent.toString().isEmpty()) {
                    w.directory(parent.toString(), EntryMetadata.of(0755, 0, 0, 1_000_000));
                }
                byte[] content = Files.readAllBytes(f);
                try (InputStream in = new ByteArrayInputStream(content)) {
                    w.file(rel, EntryMetadata.of(0644, 0, 0, 1_000_000), in, content.length);
                }
            }
            w.finish();
        }
        return image;
    }

    private static Path build(boolean streamed, Path root, Path image, WriterOptions options) throws IOException {
        return streamed ? buildStreamed(root, image, options) : ImageCheck.build(root, image, options);
    }

    /** Where rdsquashfs says a file's data lies: blocks start, block sizes, fragment index and offset. */
    private record Placement(long blocksStart, String blocks, long fragment, long fragmentOffset) {
    }

    private static Placement placement(Path image, String path) {
        String s = ExternalTool.check("rdsquashfs", "-s", path, image.toString());
        return new Placement(number(s, "Blocks start"), String.join(",", all(s, "Block #\\d+ size")),
                number(s, "Fragment index"), number(s, "Fragment offset"));
    }

    private static long number(String s, String field) {
        Matcher m = Pattern.compile(field + ": (0x[0-9A-Fa-f]+|\\d+)").matcher(s);
        assertTrue(m.find(), field + " missing in\n" + s);
        String v = m.group(1);
        return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
    }

    private static List<String> all(String s, String field) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(field + ": (.*)").matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @ParameterizedTest(name = "streamed={0} tailEnds={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void duplicatesAreStoredOnceAndReadBackEqual(boolean streamed, boolean tailEnds) throws IOException {
        Path image = build(streamed, source, work.resolve("dedup-" + streamed + tailEnds + ".sqfs"), options(tailEnds, 2));
        Path alone = build(streamed, unique, work.resolve("unique-" + streamed + tailEnds + ".sqfs"), options(tailEnds, 2));

        ImageCheck.kernelMatches(source, image, work, CONTENT);
        ImageCheck.unsquashfsMatches(source, image, work, CONTENT);
        assertTrue(ExternalTool.check("unsquashfs", "-s", image.toString()).contains("Duplicates are removed"));

        Placement big = placement(image, "a/big");
        assertEquals(big, placement(image, "b/big-copy"));
        assertEquals(big, placement(image, "c/d/big-copy"));
        assertEquals(placement(image, "small-1"), placement(image, "small-2"));
        assertEquals(placement(image, "sparse-1"), placement(image, "sparse-2"));
        assertNotEquals(placement(image, "first-block-1").blocksStart(), placement(image, "first-block-2").blocksStart());
        Placement t1 = placement(image, "tailed-1");
        Placement t2 = placement(image, "tailed-2");
        assertNotEquals(t1.blocksStart(), t2.blocksStart());
        if (tailEnds) {
            assertEquals(t1.fragment(), t2.fragment(), "identical tails share a fragment");
            assertEquals(t1.fragmentOffset(), t2.fragmentOffset());
        }

        // The copies cost only their inodes and directory entries.
        long extra = Files.size(image) - Files.size(alone);
        assertTrue(extra <= 4096, "duplicates added " + extra + " bytes");

        try (SquashfsImage read = SquashfsImage.open(image)) {
            read.verify();
            byte[] expected = Files.readAllBytes(source.resolve("a/big"));
            try (InputStream in = read.open(read.lookup("c/d/big-copy").orElseThrow())) {
                assertArrayEquals(expected, in.readAllBytes());
            }
        }
    }

    /**
     * Many small files whose first copies fill more fragment blocks than the writer keeps
     * uncompressed (4 MiB, so 4 blocks of 1 MiB): copies of the earliest ones are confirmed against
     * blocks read back from the image, later ones against kept blocks, and all are found.
     */
    @Test
    void smallDuplicatesAreFoundInEveryFragmentBlock() throws IOException {
        Path root = work.resolve("many-small");
        Random r = new Random(11);
        int files = 2400;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            contents.add(TestTrees.text(r, 3000 + r.nextInt(1000)));
            write(root, String.format("a/%04d", i), contents.get(i));
        }
        // Copies of files from the first, a middle and the last fragment blocks, interleaved.
        int[] copied = {0, 1, 2, files / 2, files / 2 + 1, files - 2, files - 1, 3, 4};
        for (int i : copied) {
            write(root, String.format("z/%04d", i), contents.get(i));
        }
        TestTrees.fixTimes(root, 1_000_000);
        WriterOptions o = WriterOptions.builder().compression(Compression.ZSTD).level(1).blockSize(1 << 20)
                .workers(2).mkfsTime(1).build();
        Path image = ImageCheck.build(root, work.resolve("many-small.sqfs"), o);
        ImageCheck.unsquashfsMatches(root, image, work, CONTENT);
        long lastFragment = 0;
        for (int i : copied) {
            Placement original = placement(image, String.format("a/%04d", i));
            assertEquals(original, placement(image, String.format("z/%04d", i)), "copy of a/" + i);
            lastFragment = Math.max(lastFragment, original.fragment());
        }
        assertTrue(lastFragment >= 8, "the originals span only " + (lastFragment + 1) + " fragment blocks");
    }

    @Test
    void streamedDeduplicationIsTheSameForEveryWorkerCount() throws IOException {
        byte[] one = Files.readAllBytes(buildStreamed(source, work.resolve("w1.sqfs"), options(true, 1)));
        byte[] three = Files.readAllBytes(buildStreamed(source, work.resolve("w3.sqfs"), options(true, 3)));
        assertArrayEquals(one, three);
    }

    @Test
    void withoutDeduplicationEveryCopyIsStored() throws IOException {
        WriterOptions o = WriterOptions.builder().compression(Compression.ZSTD).level(3).blockSize(BLOCK)
                .duplicates(false).mkfsTime(1).build();
        Path image = ImageCheck.build(source, work.resolve("nodup.sqfs"), o);
        ImageCheck.unsquashfsMatches(source, image, work, CONTENT);
        assertTrue(ExternalTool.check("unsquashfs", "-s", image.toString()).contains("Duplicates are not removed"));
        assertNotEquals(placement(image, "a/big").blocksStart(), placement(image, "b/big-copy").blocksStart());
        assertNotEquals(placement(image, "small-1"), placement(image, "small-2"));
    }
}
