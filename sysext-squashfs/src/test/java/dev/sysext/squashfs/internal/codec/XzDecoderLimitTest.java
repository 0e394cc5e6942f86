package dev.sysext.squashfs.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.SquashfsFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** A corrupt xz header must not make the decoder allocate what the header claims. */
class XzDecoderLimitTest {

    @Test
    void hugeDictionaryInAStreamHeaderIsRefused() throws Exception {
        byte[] text = "squashfs xz block ".repeat(500).getBytes(StandardCharsets.US_ASCII);
        try (Codec codec = Codec.create(CompressorConfig.defaults(Compression.XZ, 131072))) {
            byte[] packed = new byte[text.length];
            int n = codec.compress(text, 0, text.length, packed);
            assertTrue(n > 0);
            // The block header follows the 12-byte stream header: size byte, flags, filter flags
            // (LZMA2 = id 0x21, 1 property byte holding the dictionary size), padding, CRC32.
            int header = 12;
            int headerSize = ((packed[header] & 0xFF) + 1) * 4;
            int lzma2 = -1;
            for (int i = header + 2; i < header + headerSize - 6; i++) {
                if (packed[i] == 0x21 && packed[i + 1] == 0x01) {
                    lzma2 = i;
                }
            }
            assertTrue(lzma2 > 0, "LZMA2 filter flags not found");
            byte[] hostile = packed.clone();
            hostile[lzma2 + 2] = 35; // 768 MiB: a dictionary no SquashFS image uses
            CRC32 crc = new CRC32();
            crc.update(hostile, header, headerSize - 4);
            ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(header + headerSize - 4, (int) crc.getValue());

            byte[] out = new byte[text.length];
            assertEquals(text.length, codec.decompress(packed, 0, n, out, out.length));
            SquashfsFormatException e = assertThrows(SquashfsFormatException.class,
                    () -> codec.decompress(hostile, 0, n, out, out.length));
            assertTrue(e.getMessage().contains("memory") || e.getMessage().contains("Memory"), e.getMessage());
        }
    }
}
