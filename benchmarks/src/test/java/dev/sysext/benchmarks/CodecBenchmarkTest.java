package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import org.junit.jupiter.api.Test;

class CodecBenchmarkTest {

    @Test
    void settingsAreMksquashfsSettings() {
        assertEquals(9, CodecBenchmark.spec("gzip-9").level());
        assertEquals(6, CodecBenchmark.spec("gzip-6").level());
        assertEquals(15, CodecBenchmark.spec("zstd-15").level());
        assertEquals(CodecBenchmark.BLOCK_SIZE, CodecBenchmark.spec("xz").xzDictionarySize());
        assertEquals(Compression.LZ4, CodecBenchmark.spec("lz4").compression());
        assertTrue(CodecBenchmark.spec("lz4-hc").lz4HighCompression());
        assertThrows(IllegalArgumentException.class, () -> CodecBenchmark.spec("brotli"));
    }
}
