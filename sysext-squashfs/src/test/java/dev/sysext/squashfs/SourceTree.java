package dev.sysext.squashfs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Builds source trees for images: seeded random trees and a tree of format edge cases. */
final class SourceTree {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private SourceTree() {
    }

    /** Files, directories and links that exercise every corner of the format the reader must handle. */
    static Path edgeCases(Path root, long seed) throws IOException, InterruptedException {
        Random r = new Random(seed);
        Files.createDirectories(root);
        Path files = Files.createDirectory(root.resolve("files"));
        int[] sizes = {0, 1, 4095, 4096, 4097, 8192, 131071, 131072, 131073, 3 * 131072 + 17, 1 << 20, (1 << 20) + 1};
        for (int size : sizes) {
            Files.write(files.resolve("text-" + size), text(r, size));
        }
        Files.write(files.resolve("noise-300k"), noise(r, 300_000));
        Files.write(files.resolve("noise-5000"), noise(r, 5000));
        Files.write(files.resolve("zeros-262144"), new byte[262144]);
        // Holes between data: mksquashfs stores the all-zero blocks as sparse (size 0) blocks.
        try (RandomAccessFile f = new RandomAccessFile(files.resolve("sparse").toFile(), "rw")) {
            f.setLength(5L << 20);
            f.seek(1 << 20);
            f.write(noise(r, 70_000));
            f.seek((5L << 20) - 100);
            f.write(text(r, 100));
        }
        Files.write(files.resolve("hardlink-a"), text(r, 10_000));
        Files.createLink(files.resolve("hardlink-b"), files.resolve("hardlink-a"));
        Files.createLink(root.resolve("hardlink-c"), files.resolve("hardlink-a"));

        Path links = Files.createDirectory(root.resolve("links"));
        Files.createSymbolicLink(links.resolve("relative"), Path.of("../files/text-1"));
        Files.createSymbolicLink(links.resolve("absolute"), Path.of("/etc/os-release"));
        Files.createSymbolicLink(links.resolve("dangling"), Path.of("no/such/target"));
        Files.createSymbolicLink(links.resolve("long"), Path.of("x/".repeat(1999) + "yz"));

        Path big300 = Files.createDirectory(root.resolve("dir300"));
        for (int i = 0; i < 300; i++) {
            Files.write(big300.resolve(String.format("entry-%04d", i)), new byte[] {(byte) i});
        }
        Path big3000 = Files.createDirectory(root.resolve("dir3000"));
        for (int i = 0; i < 3000; i++) {
            Path p = big3000.resolve(String.format("a-rather-long-file-name-to-fill-directory-blocks-%05d", i));
            if (i % 100 == 0) {
                Files.createDirectory(p);
            } else {
                Files.createFile(p);
            }
        }
        Path names = Files.createDirectory(root.resolve("names"));
        Files.writeString(names.resolve("n".repeat(255)), "long name");
        Files.writeString(names.resolve("grüße-ñ-日本語-😀"), "utf-8");
        Files.writeString(names.resolve(" leading space"), "space");
        Files.writeString(names.resolve("tab\tand\nnewline"), "control");
        Path deep = root.resolve("deep");
        for (int i = 0; i < 60; i++) {
            deep = deep.resolve("level" + i);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("bottom"), "bottom");

        Path special = Files.createDirectory(root.resolve("special"));
        ExternalTools.run("mknod", special.resolve("null").toString(), "c", "1", "3");
        ExternalTools.run("mknod", special.resolve("sda1").toString(), "b", "8", "1");
        ExternalTools.run("mknod", special.resolve("wide").toString(), "c", "250", "65000");
        ExternalTools.run("mkfifo", special.resolve("fifo").toString());
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(special.resolve("socket")));
        }
        Path modes = Files.createDirectory(root.resolve("modes"));
        mode(Files.writeString(modes.resolve("setuid"), "#!/bin/sh\n"), 04755);
        mode(Files.createDirectory(modes.resolve("setgid-dir")), 02775);
        mode(Files.createDirectory(modes.resolve("sticky-dir")), 01777);
        mode(Files.writeString(modes.resolve("no-permissions"), "none"), 0);
        mode(Files.createDirectory(modes.resolve("read-only-dir")), 0555);
        Path owners = Files.createDirectory(root.resolve("owners"));
        for (int i = 0; i < 40; i++) {
            Path p = Files.writeString(owners.resolve("owned-" + i), "owner " + i);
            Files.setAttribute(p, "unix:uid", 1000 + i * 37, NOFOLLOW);
            Files.setAttribute(p, "unix:gid", 2000 + i * 53, NOFOLLOW);
        }
        Files.setAttribute(owners, "unix:uid", 65534, NOFOLLOW);
        Files.setAttribute(owners.resolve("owned-0"), "unix:uid", (int) 4_000_000_000L, NOFOLLOW); // above 2^31

        Path xattrs = Files.createDirectory(root.resolve("xattrs"));
        byte[] shared = text(r, 3000);
        for (int i = 0; i < 6; i++) {
            Path p = Files.writeString(xattrs.resolve("x" + i), "xattr file " + i);
            xattr(p, "user.shared", shared);
            xattr(p, "user.own", ("value " + i).getBytes(StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                xattr(p, "user.empty", new byte[0]);
            }
        }
        xattr(xattrs, "user.dir", "on a directory".getBytes(StandardCharsets.UTF_8));
        xattr(files.resolve("hardlink-a"), "user.linked", "shared by all names".getBytes(StandardCharsets.UTF_8));
        setTimes(root, r);
        return root;
    }

    /** A reproducible random tree: {@code count} entries of mixed kinds, sizes and modes. */
    static Path random(Path root, long seed, int count, int blockSize) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(root);
        List<Path> dirs = new ArrayList<>(List.of(root));
        List<Path> regular = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path parent = dirs.get(r.nextInt(dirs.size()));
            String name = randomName(r, i);
            Path p = parent.resolve(name);
            int kind = r.nextInt(20);
            if (kind < 4) {
                Files.createDirectory(p);
                dirs.add(p);
                mode(p, 0700 | r.nextInt(0100));
            } else if (kind < 6) {
                Files.createSymbolicLink(p, Path.of(randomName(r, i + 1)));
            } else if (kind < 7 && !regular.isEmpty()) {
                Files.createLink(p, regular.get(r.nextInt(regular.size())));
            } else {
                int size = switch (r.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> r.nextInt(200);
                    case 2 -> r.nextInt(blockSize * 2 + 1);
                    case 3 -> blockSize * (1 + r.nextInt(3)) + r.nextInt(3) - 1;
                    default -> r.nextInt(20_000);
                };
                Files.write(p, r.nextBoolean() ? text(r, size) : noise(r, size));
                mode(p, r.nextInt(01000));
                regular.add(p);
                if (r.nextInt(8) == 0) {
                    xattr(p, "user.k" + r.nextInt(3), text(r, r.nextInt(100)));
                }
            }
            if (r.nextInt(4) == 0) {
                Files.setAttribute(p, "unix:uid", r.nextInt(5000), NOFOLLOW);
                Files.setAttribute(p, "unix:gid", r.nextInt(5000), NOFOLLOW);
            }
        }
        setTimes(root, r);
        return root;
    }

    private static String randomName(Random r, int i) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.é";
        StringBuilder b = new StringBuilder();
        int len = 1 + r.nextInt(20);
        for (int k = 0; k < len; k++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        String s = b + "-" + i;
        return s.startsWith(".") ? "x" + s : s;
    }

    /** Sets random mtimes, children before their directories so that the directory times stick. */
    private static void setTimes(Path root, Random r) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.toList());
        }
        all.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
        for (Path p : all) {
            long t = 1_000_000_000L + (r.nextLong() & 0x3FFFFFFFL);
            if (Files.isRegularFile(p, NOFOLLOW) || Files.isDirectory(p, NOFOLLOW)) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(t * 1000));
            } else {
                // Java opens the file to set times, which blocks on a FIFO and follows nothing useful for links.
                try {
                    ExternalTools.run("touch", "-h", "-d", "@" + t, "--", p.toString());
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        }
    }

    static void mode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode);
    }

    static void xattr(Path p, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
                .write(name.substring("user.".length()), ByteBuffer.wrap(value));
    }

    static byte[] text(Random r, int size) {
        String[] words = {"containerd ", "runc ", "flatcar ", "sysext ", "squashfs ", "overlay ", "\n", "0x1f ", "kernel "};
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            byte[] w = words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, size - i);
            System.arraycopy(w, 0, out, i, n);
            i += n;
        }
        return out;
    }

    static byte[] noise(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }
}
