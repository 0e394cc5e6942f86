package dev.sysext.squashfs.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Builds source trees for image tests: hand-made edge cases and seeded random trees. Needs root. */
public final class TestTrees {
    private TestTrees() {
    }

    /**
     * Every edge case the writer and the reader must get right, with files on the block boundaries
     * of each block size given (the first one sizes the rest of the tree). Returns {@code root}.
     */
    public static Path edgeCases(Path root, int... blockSizes) throws IOException {
        int blockSize = blockSizes[0];
        Random r = new Random(1);
        Files.createDirectories(root);
        Path files = Files.createDirectories(root.resolve("files"));
        Files.write(files.resolve("empty"), new byte[0]);
        Files.write(files.resolve("one-block"), text(r, blockSize));
        Files.write(files.resolve("one-block-plus-one"), text(r, blockSize + 1));
        Files.write(files.resolve("multi-block"), text(r, 3 * blockSize + blockSize / 2));
        Files.write(files.resolve("small"), "hello\n".getBytes(StandardCharsets.US_ASCII));
        byte[] noise = new byte[2 * blockSize + 100];
        r.nextBytes(noise);
        Files.write(files.resolve("incompressible"), noise);
        try (RandomAccessFile f = new RandomAccessFile(files.resolve("sparse").toFile(), "rw")) {
            f.seek(2L * blockSize);
            f.write(text(r, 100));
            f.setLength(6L * blockSize + 7); // holes before and after the data, an all-zero tail
        }
        try (RandomAccessFile f = new RandomAccessFile(files.resolve("zeros-small").toFile(), "rw")) {
            f.setLength(1000); // a hole: mksquashfs, like us, stores it as a sparse block
        }
        Path suid = Files.write(files.resolve("setuid"), text(r, 50));
        chmod(suid, 04755);
        Path sgid = Files.createDirectories(root.resolve("setgid-dir"));
        chmod(sgid, 02775);
        Path sticky = Files.createDirectories(root.resolve("sticky-dir"));
        chmod(sticky, 01777);
        Files.write(sticky.resolve("other-owner"), text(r, 10));

        Path links = Files.createDirectories(root.resolve("links"));
        Path a = Files.write(links.resolve("hard-a"), text(r, blockSize + 10));
        Files.createLink(links.resolve("hard-b"), a);
        Files.createLink(files.resolve("hard-c"), a);
        Path small = Files.write(links.resolve("hard-small"), text(r, 20));
        Files.createLink(links.resolve("hard-small-2"), small);
        Files.createSymbolicLink(links.resolve("relative"), Path.of("../files/small"));
        Files.createSymbolicLink(links.resolve("absolute"), Path.of("/usr/bin/env"));
        Files.createSymbolicLink(links.resolve("dangling"), Path.of("nowhere/at/all"));
        Files.createSymbolicLink(links.resolve("long-target"), Path.of("x/".repeat(1999) + "yy"));

        Path big = Files.createDirectories(root.resolve("dir300"));
        for (int i = 0; i < 300; i++) {
            Files.write(big.resolve(String.format("entry-%04d", i)), i % 3 == 0 ? new byte[0] : text(r, i));
        }
        Path bigger = Files.createDirectories(root.resolve("dir3000"));
        for (int i = 0; i < 3000; i++) {
            String name = "a-fairly-long-file-name-to-fill-metadata-blocks-" + i;
            if (i % 500 == 0) {
                Files.createDirectories(bigger.resolve(name));
            } else {
                Files.write(bigger.resolve(name), i % 7 == 0 ? text(r, 30) : new byte[0]);
            }
        }
        Path names = Files.createDirectories(root.resolve("names"));
        Files.write(names.resolve("n".repeat(255)), text(r, 5));
        Files.write(names.resolve("ünïcödé-名前-ファイル"), text(r, 5));
        Files.write(names.resolve("with space and\ttab"), text(r, 5));
        Path deep = root.resolve("deep");
        for (int i = 0; i < 40; i++) {
            deep = deep.resolve("level" + i);
        }
        Files.createDirectories(deep);
        Files.write(deep.resolve("bottom"), text(r, 5));

        Path dev = Files.createDirectories(root.resolve("dev"));
        ExternalTool.check("mknod", dev.resolve("null").toString(), "c", "1", "3");
        ExternalTool.check("mknod", dev.resolve("loop0").toString(), "b", "7", "0");
        ExternalTool.check("mknod", dev.resolve("big-numbers").toString(), "c", "300", "70000");
        ExternalTool.check("mkfifo", dev.resolve("fifo").toString());
        try (ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(dev.resolve("socket")));
        }

        Path owners = Files.createDirectories(root.resolve("owners"));
        for (int i = 0; i < 40; i++) {
            Path f = Files.write(owners.resolve("owned-" + i), text(r, 3));
            chown(f, 1000 + i, 2000 + i % 7);
        }
        chown(sticky.resolve("other-owner"), 65534, 65534);
        chown(links.resolve("relative"), 33, 33);

        Path x = Files.createDirectories(root.resolve("xattrs"));
        byte[] longValue = text(r, 300);
        for (int i = 0; i < 6; i++) {
            Path f = Files.write(x.resolve("f" + i), text(r, 10));
            xattr(f, "shared", "same set on every file".getBytes(StandardCharsets.US_ASCII));
            if (i % 2 == 0) {
                xattr(f, "long", longValue); // the same long value, stored out of line after the first
            }
            if (i == 5) {
                xattr(f, "binary", new byte[] {0, 1, 2, (byte) 0xFF});
            }
        }
        xattr(x, "on-a-directory", "yes".getBytes(StandardCharsets.US_ASCII));
        xattr(a, "on-a-hard-link", "linked".getBytes(StandardCharsets.US_ASCII));
        readerEdgeCases(root, r, blockSizes);
        fixTimes(root, 1_700_000_000L);
        return root;
    }

    /** Block boundaries for every block size, odd names, modes and owners, empty and shared xattr values. */
    private static void readerEdgeCases(Path root, Random r, int... blockSizes) throws IOException {
        Path sizes = Files.createDirectories(root.resolve("sizes"));
        int largest = 0;
        for (int b : blockSizes) {
            largest = Math.max(largest, b);
            for (int size : b > 131072 ? new int[] {b, b + 1} : new int[] {b - 1, b, b + 1, 3 * b + 17}) {
                Files.write(sizes.resolve("text-" + size), text(r, size));
            }
        }
        Files.write(sizes.resolve("text-1"), text(r, 1));
        Files.write(sizes.resolve("noise-300k"), noise(r, 300_000));
        Files.write(sizes.resolve("noise-5000"), noise(r, 5000));
        // Holes between data: stored as sparse (size 0) blocks.
        try (RandomAccessFile f = new RandomAccessFile(sizes.resolve("sparse-large").toFile(), "rw")) {
            f.setLength(5L * largest);
            f.seek(largest);
            f.write(noise(r, 70_000));
            f.seek(5L * largest - 100);
            f.write(text(r, 100));
        }
        Files.createSymbolicLink(root.resolve("links/to-text-1"), Path.of("../sizes/text-1"));

        Path names = root.resolve("names");
        Files.writeString(names.resolve("grüße-ñ-日本語-😀"), "utf-8");
        Files.writeString(names.resolve(" leading space"), "space");
        Files.writeString(names.resolve("tab\tand\nnewline"), "control");
        Path deep = root.resolve("deeper");
        for (int i = 0; i < 60; i++) {
            deep = deep.resolve("level" + i);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("bottom"), "bottom");

        Path modes = Files.createDirectories(root.resolve("modes"));
        chmod(Files.writeString(modes.resolve("no-permissions"), "none"), 0);
        chmod(Files.createDirectory(modes.resolve("read-only-dir")), 0555);
        Path ids = Files.createDirectories(root.resolve("ids"));
        for (int i = 0; i < 40; i++) {
            chown(Files.writeString(ids.resolve("id-" + i), "owner " + i), 1000 + i * 37, 2000 + i * 53);
        }
        chown(ids, 65534, 0);
        chown(ids.resolve("id-0"), (int) 4_000_000_000L, 2000); // above 2^31

        Path xattrs = Files.createDirectories(root.resolve("xattrs-shared"));
        byte[] shared = text(r, 3000);
        for (int i = 0; i < 6; i++) {
            Path p = Files.writeString(xattrs.resolve("x" + i), "xattr file " + i);
            xattr(p, "shared", shared);
            xattr(p, "own", ("value " + i).getBytes(StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                xattr(p, "empty", new byte[0]);
            }
        }
        xattr(xattrs, "dir", "on a directory".getBytes(StandardCharsets.UTF_8));
    }

    /** A random tree of about {@code count} entries, the same for the same seed; returns {@code root}. */
    public static Path random(Path root, long seed, int count, int blockSize) throws IOException {
        Random r = new Random(seed);
        List<Path> dirs = new ArrayList<>();
        List<Path> regular = new ArrayList<>();
        Files.createDirectories(root);
        dirs.add(root);
        for (int i = 0; i < count; i++) {
            Path parent = dirs.get(r.nextInt(dirs.size()));
            String name = randomName(r) + "-" + i;
            Path p = parent.resolve(name);
            int kind = r.nextInt(20);
            if (kind < 3) {
                Files.createDirectory(p);
                dirs.add(p);
            } else if (kind < 15) {
                int size = switch (r.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> r.nextInt(100);
                    case 2 -> r.nextInt(blockSize);
                    case 3 -> blockSize * (1 + r.nextInt(3));
                    case 4 -> r.nextInt(4 * blockSize);
                    default -> r.nextInt(3000);
                };
                if (r.nextInt(4) == 0) {
                    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                        f.setLength(size); // a hole, as mksquashfs tells sparse files by their holes
                    }
                } else {
                    byte[] content = text(r, size);
                    if (r.nextInt(5) == 0) {
                        r.nextBytes(content);
                    }
                    Files.write(p, content);
                }
                regular.add(p);
            } else if (kind < 17 && !regular.isEmpty()) {
                Files.createLink(p, regular.get(r.nextInt(regular.size())));
            } else {
                Files.createSymbolicLink(p, Path.of(randomName(r)));
            }
            if (r.nextInt(4) == 0) {
                chown(p, r.nextInt(5000), r.nextInt(5000));
            }
            if (!Files.isSymbolicLink(p) && r.nextInt(3) == 0) {
                chmod(p, Files.isDirectory(p) ? 0700 | r.nextInt(0100) : r.nextInt(010000) & ~04000);
            }
            if (!Files.isSymbolicLink(p) && r.nextInt(6) == 0) {
                // Not empty: Commons Compress reads an empty PAX value as "no attribute".
                xattr(p, "k" + r.nextInt(3), text(r, 1 + r.nextInt(40)));
            }
        }
        fixTimes(root, 1_600_000_000L + r.nextInt(1000));
        return root;
    }

    private static String randomName(Random r) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABC0123456789._-äß";
        int len = 1 + r.nextInt(20);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Text-like bytes that compress. */
    public static byte[] text(Random r, int size) {
        byte[] b = new byte[size];
        String words = "containerd runc systemd sysext flatcar squashfs kernel ";
        for (int i = 0; i < size; i++) {
            b[i] = r.nextInt(10) == 0 ? (byte) ('a' + r.nextInt(26)) : (byte) words.charAt(i % words.length());
        }
        return b;
    }

    /** Random bytes that do not compress. */
    public static byte[] noise(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    public static void chmod(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode);
    }

    public static void chown(Path p, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    public static void xattr(Path p, String userName, byte[] value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).write(userName, ByteBuffer.wrap(value));
    }

    /** Gives every entry a distinct, whole-second mtime, children before parents. */
    public static void fixTimes(Path root, long base) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        long t = base;
        for (Path p : all) {
            FileTime ft = FileTime.fromMillis(1000 * t++);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(ft, ft, null);
            } else {
                // The JDK opens the file to set its times, which blocks on a FIFO and follows symlinks.
                ExternalTool.check("touch", "-h", "-d", "@" + (t - 1), p.toString());
            }
        }
    }
}
