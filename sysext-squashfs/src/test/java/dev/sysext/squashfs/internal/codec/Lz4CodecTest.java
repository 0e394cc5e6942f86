package dev.sysext.squashfs.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/** The lz4 codec uses the bundled liblz4 where it ships, and its blocks are plain LZ4 blocks. */
class Lz4CodecTest {

    @Test
    void linuxOnAmd64AndArm64CompressesWithTheNativeLibrary() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")),
                "lz4-java ships liblz4 for this platform: " + os + " " + arch);
        assertTrue(Lz4Codec.isNative(), "the lz4 codec fell back to the Java port on " + os + " " + arch);
    }

    @Test
    void blocksOfEitherImplementationDecodeWithTheOther() throws Exception {
        byte[] block = sampleBlock();
        try (Lz4Codec codec = new Lz4Codec(false)) {
            byte[] packed = new byte[block.length];
            int n = codec.compress(block, 0, block.length, packed);
            assertTrue(n > 0 && n < block.length / 2, "compressed to " + n + " bytes");
            byte[] back = new byte[block.length];
            int m = LZ4Factory.safeInstance().safeDecompressor().decompress(packed, 0, n, back, 0);
            assertEquals(block.length, m);
            assertArrayEquals(block, back);

            int j = LZ4Factory.safeInstance().fastCompressor().compress(block, 0, block.length, packed, 0);
            Arrays.fill(back, (byte) 0);
            assertEquals(block.length, codec.decompress(packed, 0, j, back, back.length));
            assertArrayEquals(block, back);
        }
    }

    @Test
    void incompressibleBlocksAreLeftRaw() {
        byte[] noise = new byte[131072];
        new Random(4).nextBytes(noise);
        try (Lz4Codec codec = new Lz4Codec(false)) {
            assertEquals(-1, codec.compress(noise, 0, noise.length, new byte[noise.length]));
        }
    }

    private static byte[] sampleBlock() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (text.length() < 131072) {
            text.append("unit ").append(random.nextInt(500)).append(" ExecStart=/usr/bin/containerd\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), 131072);
    }
}
