package dev.sysext.squashfs.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.squashfs.XzFilter;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The codecs and the options block for each compressor configuration. */
class CompressorConfigTest {
    private static final int BLOCK = 128 * 1024;

    static Stream<CompressorConfig> specs() {
        return Stream.of(
                CompressorConfig.defaults(Compression.GZIP, BLOCK),
                new CompressorConfig.Gzip(1),
                CompressorConfig.defaults(Compression.ZSTD, BLOCK),
                new CompressorConfig.Zstd(3),
                CompressorConfig.defaults(Compression.XZ, BLOCK),
                new CompressorConfig.Xz(BLOCK, Set.of(XzFilter.X86, XzFilter.ARM64)),
                CompressorConfig.defaults(Compression.LZ4, BLOCK),
                new CompressorConfig.Lz4(true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void compressibleDataRoundTrips(CompressorConfig spec) throws Exception {
        byte[] text = "containerd runc systemd-sysext flatcar ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        try (Codec codec = Codec.create(spec)) {
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
    void randomDataIsNotCompressed(CompressorConfig spec) {
        byte[] noise = new byte[BLOCK];
        new Random(42).nextBytes(noise);
        try (Codec codec = Codec.create(spec)) {
            assertEquals(-1, codec.compress(noise, 0, noise.length, new byte[noise.length]));
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void corruptInputIsAFormatError(CompressorConfig spec) {
        byte[] text = "abcabcabc".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (Codec codec = Codec.create(spec)) {
            byte[] packed = new byte[text.length];
            int n = codec.compress(text, 0, text.length, packed);
            // A too small output buffer must be refused, never overrun.
            assertThrows(SquashfsFormatException.class, () -> codec.decompress(packed, 0, n, new byte[100], 100));
            assertThrows(SquashfsFormatException.class, () -> codec.decompress(packed, 0, n / 2, new byte[text.length], text.length));
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void optionsBlockRoundTrips(CompressorConfig spec) throws Exception {
        byte[] options = OptionsBlock.encode(spec, BLOCK).orElse(null);
        assertEquals(spec, OptionsBlock.decode(spec.compression().id(), options, BLOCK));
    }

    @org.junit.jupiter.api.Test
    void xzWithFiltersGivesUpCleanlyOnAnyBlock() {
        // A filter candidate that outgrows the best result so far must be dropped, not crash.
        CompressorConfig spec = new CompressorConfig.Xz(BLOCK, Set.of(XzFilter.X86, XzFilter.ARM64));
        java.util.Random r = new java.util.Random(3);
        try (Codec codec = Codec.create(spec)) {
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
        assertTrue(OptionsBlock.encode(CompressorConfig.defaults(Compression.GZIP, BLOCK), BLOCK).isEmpty());
        assertTrue(OptionsBlock.encode(CompressorConfig.defaults(Compression.ZSTD, BLOCK), BLOCK).isEmpty());
        assertTrue(OptionsBlock.encode(CompressorConfig.defaults(Compression.XZ, BLOCK), BLOCK).isEmpty());
        assertTrue(OptionsBlock.encode(CompressorConfig.defaults(Compression.LZ4, BLOCK), BLOCK).isPresent());
        // The dictionary default follows the block size: 128 KiB is not the default for 1 MiB blocks.
        assertTrue(OptionsBlock.encode(CompressorConfig.defaults(Compression.XZ, BLOCK), 1 << 20).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new CompressorConfig.Gzip(10));
        assertThrows(IllegalArgumentException.class, () -> CompressorConfig.defaults(Compression.LZO, BLOCK));
    }

    @org.junit.jupiter.api.Test
    void defaultsAreEffectiveSettings() {
        assertEquals(java.util.OptionalInt.of(9), WriterOptions.builder().build().compressor().compressionLevel());
        assertEquals(new CompressorConfig.Gzip(9, 15, 0), WriterOptions.builder().build().compressor());
        assertEquals(new CompressorConfig.Zstd(15),
                WriterOptions.builder().compression(Compression.ZSTD).build().compressor());
        assertEquals(new CompressorConfig.Xz(1 << 20, Set.of()),
                WriterOptions.builder().compression(Compression.XZ).blockSize(1 << 20).build().compressor());
        assertEquals(new CompressorConfig.Zstd(19),
                WriterOptions.builder().compression(Compression.ZSTD).level(19).build().compressor());
        // A whole configuration replaces the settings given before, and settings given after replace it.
        assertEquals(new CompressorConfig.Lz4(true), WriterOptions.builder().compression(Compression.ZSTD).level(3)
                .compressor(new CompressorConfig.Lz4(true)).build().compressor());
        assertEquals(new CompressorConfig.Gzip(2), WriterOptions.builder().compressor(new CompressorConfig.Lz4(true))
                .compression(Compression.GZIP).level(2).build().compressor());
    }

    @org.junit.jupiter.api.Test
    void writerRefusesSettingsItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> WriterOptions.builder()
                .compressor(new CompressorConfig.Gzip(9, 12, 0)).build());
        assertThrows(IllegalArgumentException.class, () -> WriterOptions.builder()
                .compressor(new CompressorConfig.Xz(5 * 4096, Set.of())).build());
        assertThrows(IllegalArgumentException.class, () -> WriterOptions.builder().compression(Compression.XZ)
                .level(5).build());
        assertThrows(IllegalArgumentException.class, () -> WriterOptions.builder().compression(Compression.GZIP)
                .xzFilters(Set.of(XzFilter.X86)).build());
    }
}
