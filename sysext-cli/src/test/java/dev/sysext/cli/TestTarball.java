package dev.sysext.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small ustar archives, gzip-compressed, for generated release tarballs. Names are written
 * as given (so tests can make hostile ones such as {@code ../evil}).
 */
final class TestTarball {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    TestTarball directory(String name) {
        header(name.endsWith("/") ? name : name + "/", 0755, 0, '5', "");
        return this;
    }

    TestTarball file(String name, int mode, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        header(name, mode, data.length, '0', "");
        tar.writeBytes(data);
        tar.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return this;
    }

    TestTarball symlink(String name, String target) {
        header(name, 0777, 0, '2', target);
        return this;
    }

    byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar.toByteArray());
            gz.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void header(String name, int mode, long size, char type, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0001750"); // uid 1000: staging must make it root
        put(h, 116, 8, "0001750");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1_600_000_000L)); // staging must replace it with the epoch
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "builder");
        put(h, 297, 32, "builder");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum) + "\0 ");
        tar.writeBytes(h);
    }

    private static void put(byte[] h, int at, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > len) {
            throw new IllegalArgumentException("'" + s + "' is too long for a ustar field of " + len);
        }
        System.arraycopy(b, 0, h, at, b.length);
    }
}
