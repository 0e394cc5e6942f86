package dev.sysext.squashfs.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecSpecTest {
    private static final int BLOCK = 128 * 1024;

    static Stream<CodecSpec> specs() {
        return Stream.of(
                CodecSpec.defaults(Compression.GZIP, BLOCK),
                new CodecSpec(Compression.GZIP, 1, 15, 0, 0, 0, false),
                CodecSpec.defaults(Compression.ZSTD, BLOCK),
                new CodecSpec(Compression.ZSTD, 3, 0, 0, 0, 0, false),
                CodecSpec.defaults(Compression.XZ, BLOCK),
                new CodecSpec(Compression.XZ, 0, 0, 0, BLOCK, CodecSpec.XZ_X86 | CodecSpec.XZ_ARM64, false),
                CodecSpec.defaults(Compression.LZ4, BLOCK),
                new CodecSpec(Compression.LZ4, 0, 0, 0, 0, 0, true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void compressibleDataRoundTrips(CodecSpec spec) throws Exception {
        byte[] text = "containerd runc systemd-sysext flatcar ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        try (Codec codec = spec.newCodec()) {
            byte[] packed = new byte[text.length];
            int n = codec.compress(text, 0, text.length, packed);
            assertTrue(n > 0 && n < text.length / 10, "compressed to " + n);
            byte[] out = new byte[text.length];
            assertEquals(text.length, codec.decompress(packed, 0, n, out, out.length));
            assertArrayEquals(text, out);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void randomDataIsNotCompressed(CodecSpec spec) {
        byte[] noise = new byte[BLOCK];
        new Random(42).nextBytes(noise);
        try (Codec codec = spec.newCodec()) {
            assertEquals(-1, codec.compress(noise, 0, noise.length, new byte[noise.length]));
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void corruptInputIsAFormatError(CodecSpec spec) {
        byte[] text = "abcabcabc".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (Codec codec = spec.newCodec()) {
            byte[] packed = new byte[text.length];
            int n = codec.compress(text, 0, text.length, packed);
            // A too small output buffer must be refused, never overrun.
            assertThrows(SquashfsFormatException.class, () -> codec.decompress(packed, 0, n, new byte[100], 100));
            assertThrows(SquashfsFormatException.class, () -> codec.decompress(packed, 0, n / 2, new byte[text.length], text.length));
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void optionsBlockRoundTrips(CodecSpec spec) throws Exception {
        byte[] options = spec.optionsBlock(BLOCK).orElse(null);
        assertEquals(spec, CodecSpec.fromImage(spec.compression().id(), options, BLOCK));
    }

    @org.junit.jupiter.api.Test
    void xzWithFiltersGivesUpCleanlyOnAnyBlock() {
        // A filter candidate that outgrows the best result so far must be dropped, not crash.
        CodecSpec spec = new CodecSpec(Compression.XZ, 0, 0, 0, BLOCK, CodecSpec.XZ_X86 | CodecSpec.XZ_ARM64, false);
        java.util.Random r = new java.util.Random(3);
        try (Codec codec = spec.newCodec()) {
            for (int i = 0; i < 20; i++) {
                // Tiny inputs (a one-entry id table) can only grow.
                byte[] block = i < 4 ? new byte[4 << (2 * i)] : new byte[BLOCK];
                for (int j = 0; i >= 4 && j < block.length; j++) {
                    block[j] = (byte) (r.nextInt(1 + i * 12));
                }
                int n = codec.compress(block, 0, block.length, new byte[block.length]);
                assertTrue(n == -1 || n > 0 && n < block.length, "compressed to " + n);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void optionsFollowMksquashfsRules() {
        assertTrue(CodecSpec.defaults(Compression.GZIP, BLOCK).optionsBlock(BLOCK).isEmpty());
        assertTrue(CodecSpec.defaults(Compression.ZSTD, BLOCK).optionsBlock(BLOCK).isEmpty());
        assertTrue(CodecSpec.defaults(Compression.XZ, BLOCK).optionsBlock(BLOCK).isEmpty());
        assertTrue(CodecSpec.defaults(Compression.LZ4, BLOCK).optionsBlock(BLOCK).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new CodecSpec(Compression.GZIP, 10, 15, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> CodecSpec.defaults(Compression.LZO, BLOCK));
    }
}
