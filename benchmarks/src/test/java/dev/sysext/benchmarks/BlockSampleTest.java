package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSampleTest {

    private static final int BLOCK = 1024;

    private static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void cutsEvenlySpacedFullBlocksAndSkipsShortFiles(@TempDir Path dir) throws Exception {
        byte[] big = bytes(1, 10 * BLOCK + 100);
        byte[] one = bytes(2, BLOCK + 5);
        Files.write(dir.resolve("a-big"), big);
        Files.write(dir.resolve("b-short"), bytes(3, BLOCK - 1));
        Files.write(dir.resolve("c-one"), one);
        Files.createSymbolicLink(dir.resolve("d-link"), dir.resolve("a-big"));

        List<Path> files = BlockSample.regularFiles(dir);
        assertEquals(List.of(dir.resolve("a-big"), dir.resolve("b-short"), dir.resolve("c-one")), files);

        List<byte[]> blocks = BlockSample.fromFiles(files, BLOCK, 3, 100);
        // a-big has 10 full blocks: indexes 0, 3, 6; c-one has one; b-short none.
        assertEquals(4, blocks.size());
        assertArrayEquals(Arrays.copyOfRange(big, 0, BLOCK), blocks.get(0));
        assertArrayEquals(Arrays.copyOfRange(big, 3 * BLOCK, 4 * BLOCK), blocks.get(1));
        assertArrayEquals(Arrays.copyOfRange(big, 6 * BLOCK, 7 * BLOCK), blocks.get(2));
        assertArrayEquals(Arrays.copyOfRange(one, 0, BLOCK), blocks.get(3));
    }

    @Test
    void spreadsALimitedSampleOverTheWholeList(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 10; i++) {
            Files.write(dir.resolve("f" + i), bytes(i, 2 * BLOCK));
        }
        List<byte[]> blocks = BlockSample.fromFiles(BlockSample.regularFiles(dir), BLOCK, 1, 5);
        assertEquals(5, blocks.size());
        // Stride 2: f0, f2, f4, f6, f8 rather than the first five files.
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(Arrays.copyOf(bytes(2 * k, 2 * BLOCK), BLOCK), blocks.get(k));
        }
    }

    @Test
    void generatedBlocksAreReproducible() {
        List<byte[]> a = BlockSample.generated(42, BLOCK, 3);
        List<byte[]> b = BlockSample.generated(42, BLOCK, 3);
        assertEquals(3, a.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.get(i), b.get(i));
            assertEquals(BLOCK, a.get(i).length);
        }
        assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(a.get(1)));
    }

    @Test
    void refusesNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> BlockSample.fromFiles(List.of(), 0, 1, 1));
    }
}
