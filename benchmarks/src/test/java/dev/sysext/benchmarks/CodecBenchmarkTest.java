package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import org.junit.jupiter.api.Test;

class CodecBenchmarkTest {

    @Test
    void settingsAreMksquashfsSettings() {
        assertEquals(new CompressorConfig.Gzip(9), CodecBenchmark.spec("gzip-9"));
        assertEquals(new CompressorConfig.Gzip(6), CodecBenchmark.spec("gzip-6"));
        assertEquals(new CompressorConfig.Zstd(15), CodecBenchmark.spec("zstd-15"));
        assertEquals(new CompressorConfig.Xz(CodecBenchmark.BLOCK_SIZE, java.util.Set.of()), CodecBenchmark.spec("xz"));
        assertEquals(Compression.LZ4, CodecBenchmark.spec("lz4").compression());
        assertEquals(new CompressorConfig.Lz4(true), CodecBenchmark.spec("lz4-hc"));
        assertThrows(IllegalArgumentException.class, () -> CodecBenchmark.spec("brotli"));
    }
}
