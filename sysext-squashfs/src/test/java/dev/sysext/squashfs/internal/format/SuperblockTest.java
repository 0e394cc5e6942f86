package dev.sysext.squashfs.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.SquashfsFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuperblockTest {

    @Test
    void decodesTheSuperblockMksquashfsWrites(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/usr/bin"));
        Files.writeString(src.resolve("hello"), "hello\n");
        Path img = dir.resolve("img.sqfs");
        Process p = new ProcessBuilder("mksquashfs", dir.resolve("src").toString(), img.toString(),
                "-noappend", "-quiet", "-no-progress", "-b", "65536", "-mkfs-time", "1234567")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        byte[] bytes = Files.readAllBytes(img);
        Superblock sb = Superblock.decode(bytes, bytes.length);
        assertEquals(65536, sb.blockSize());
        assertEquals(16, sb.blockLog());
        assertEquals(1234567, sb.mkfsTime());
        assertEquals(1, sb.compressionId());
        assertEquals(4, sb.inodeCount()); // root, usr, bin, hello
        assertTrue(sb.bytesUsed() <= bytes.length && bytes.length % Layout.DEVICE_BLOCK == 0);
        assertTrue(sb.hasFlag(SuperblockFlags.EXPORTABLE));
        byte[] again = sb.encode();
        for (int i = 0; i < Superblock.SIZE; i++) {
            assertEquals(bytes[i], again[i], "superblock byte " + i);
        }
    }

    @Test
    void refusesGarbageWithAReason() {
        byte[] zeros = new byte[4096];
        SquashfsFormatException e = assertThrows(SquashfsFormatException.class, () -> Superblock.decode(zeros, zeros.length));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertThrows(SquashfsFormatException.class, () -> Superblock.decode(new byte[10], 10));
    }
}
