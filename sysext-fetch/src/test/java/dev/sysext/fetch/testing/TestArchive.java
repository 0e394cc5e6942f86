package dev.sysext.fetch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Release archives for tests, in every format recipes read: tar (ustar, written here, owned by uid
 * 1000 with a fixed old mtime so that staging must normalise both), compressed with gzip (the JDK),
 * xz or zstd (the {@code xz} and {@code zstd} programs), and zip (the JDK). The same members give the
 * same bytes every time. Names are written as given, so tests can make hostile ones ({@code ../evil}).
 *
 * <pre>{@code
 * byte[] tgz = new TestArchive().directory("bin").file("bin/ctr", 0755, "#!/bin/sh\necho ctr\n").bytes("tar.gz");
 * }</pre>
 */
public final class TestArchive {
    private record Member(String name, int mode, byte[] content, char type, String link) {
    }

    private final List<Member> members = new ArrayList<>();

    /** Adds a directory. */
    public TestArchive directory(String name) {
        members.add(new Member(name.endsWith("/") ? name : name + "/", 0755, new byte[0], '5', ""));
        return this;
    }

    /** Adds a file. */
    public TestArchive file(String name, int mode, byte[] content) {
        members.add(new Member(name, mode, content.clone(), '0', ""));
        return this;
    }

    /** Adds a file with UTF-8 text. */
    public TestArchive file(String name, int mode, String content) {
        return file(name, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a symbolic link (tar only). */
    public TestArchive symlink(String name, String target) {
        members.add(new Member(name, 0777, new byte[0], '2', target));
        return this;
    }

    /**
     * The archive in {@code format}: {@code tar}, {@code tar.gz} (also {@code tgz}), {@code tar.xz},
     * {@code tar.zst} or {@code zip}.
     */
    public byte[] bytes(String format) {
        return switch (format) {
            case "tar" -> tar();
            case "tar.gz", "tgz" -> gzip(tar());
            case "tar.xz" -> filter(tar(), "xz", "-c", "-T1");
            case "tar.zst" -> filter(tar(), "zstd", "-q", "-c");
            case "zip" -> zip();
            default -> throw new IllegalArgumentException("unknown archive format " + format);
        };
    }

    /** The uncompressed tar archive. */
    public byte[] tar() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Member m : members) {
            header(tar, m.name, m.mode, m.content.length, m.type, m.link);
            tar.writeBytes(m.content);
            tar.writeBytes(new byte[(512 - m.content.length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]);
        return tar.toByteArray();
    }

    private byte[] zip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Member m : members) {
                if (m.type == '2') {
                    throw new IllegalArgumentException("no symbolic links in zip fixtures");
                }
                ZipEntry e = new ZipEntry(m.name);
                e.setTime(1_600_000_000_000L);
                zip.putNextEntry(e);
                zip.write(m.content);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] filter(byte[] data, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread writer = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(data);
                } catch (IOException e) {
                    // the process died; its exit status says so
                }
            });
            writer.start();
            byte[] out;
            try (InputStream stdout = p.getInputStream()) {
                out = stdout.readAllBytes();
            }
            writer.join();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void header(ByteArrayOutputStream tar, String name, int mode, long size, char type, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0001750");
        put(h, 116, 8, "0001750");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1_600_000_000L));
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
