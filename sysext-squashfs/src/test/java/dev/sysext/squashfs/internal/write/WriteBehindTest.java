package dev.sysext.squashfs.internal.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    private static final int STEP = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void flushesInTheBackgroundAsTheFileGrows() throws IOException {
        Path file = dir.resolve("image");
        byte[] chunk = new byte[256 * 1024];
        new Random(1).nextBytes(chunk);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            WriteBehind behind = new WriteBehind(ch, STEP);
            ImageOutput out = new ImageOutput(ch, behind);
            for (int i = 0; i < 32; i++) {
                out.append(chunk);
            }
            out.force();
            assertTrue(behind.flushes() >= 1, "no background flush for 8 MiB written in 1 MiB steps");
            assertEquals(32L * chunk.length, out.position());
        }
        byte[] back = Files.readAllBytes(file);
        assertEquals(32 * chunk.length, back.length);
        assertArrayEquals(chunk, Arrays.copyOfRange(back, back.length - chunk.length, back.length));
    }

    @Test
    void aFailedBackgroundFlushIsThrownWhenTheImageIsForced() throws Exception {
        Path file = dir.resolve("image");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        WriteBehind behind = new WriteBehind(ch, STEP);
        ch.close(); // every flush from now on fails
        behind.written(STEP);
        IOException e = assertThrows(IOException.class, behind::finish);
        assertTrue(e.getMessage().startsWith("flushing the image to disk failed"), e.getMessage());
    }

    @Test
    void smallImagesStartNoThreadAndStopQuietly() throws IOException {
        Path file = dir.resolve("image");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WriteBehind behind = new WriteBehind(ch, STEP);
            behind.written(STEP - 1);
            assertDoesNotThrow(behind::finish);
            assertEquals(0, behind.flushes());
        }
    }
}
