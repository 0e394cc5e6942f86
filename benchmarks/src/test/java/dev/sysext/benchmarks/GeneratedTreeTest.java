package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedTreeTest {

    private static String digest(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).sorted().forEach(p -> {
                try {
                    md.update(root.relativize(p).toString().getBytes());
                    md.update(Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sameSeedSameTree(@TempDir Path dir) throws Exception {
        long a = GeneratedTree.write(dir.resolve("a"), 7, 50, 10_000);
        long b = GeneratedTree.write(dir.resolve("b"), 7, 50, 10_000);
        GeneratedTree.write(dir.resolve("c"), 8, 50, 10_000);
        assertEquals(a, b);
        assertEquals(digest(dir.resolve("a")), digest(dir.resolve("b")));
        assertNotEquals(digest(dir.resolve("a")), digest(dir.resolve("c")));
    }
}
