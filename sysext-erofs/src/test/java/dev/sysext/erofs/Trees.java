package dev.sysext.erofs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Source trees for the tests, built with the real file system (and mknod, as root). */
final class Trees {
    static final long MTIME = 1_700_000_000L;
    /** The POSIX ACL that {@link #readerExtras} sets on files/size-8193, as getfattr shows it in hex. */
    /** Whether the file system took {@link #ACL}. */
    static boolean aclSet;
    static final String ACL = "0x0200000001000600ffffffff02000400e803000004000400ffffffff10000400ffffffff20000400ffffffff";

    private Trees() {
    }

    /** Every inode type, block-edge sizes, hard links, xattrs, long and odd names, deep and wide directories. */
    static Path edgeCases(Path root) throws IOException {
        Random r = new Random(15);
        Files.createDirectories(root);
        Path files = Files.createDirectories(root.resolve("files"));
        for (int size : new int[] {0, 1, 31, 32, 4000, 4063, 4064, 4095, 4096, 4097, 8191, 8192, 8193, 65536, 100_000, 1 << 20}) {
            write(files.resolve("size-" + size), noise(r, size));
        }
        for (int size : new int[] {4097, 8191, 8192, 12_289, 65_535, 65_537, 200_000, (1 << 20) + 3, 3_000_000}) {
            write(files.resolve("text-" + size), text(r, size));
        }
        byte[] mixed = new byte[500_000];
        for (int off = 0; off < mixed.length; off += 50_000) {
            byte[] part = (off / 50_000) % 2 == 0 ? noise(r, 50_000) : text(r, 50_000);
            System.arraycopy(part, 0, mixed, off, part.length);
        }
        write(files.resolve("mixed"), mixed);
        byte[] same = noise(r, 12_345);
        write(files.resolve("dup-a"), same);
        write(files.resolve("dup-b"), same);
        try (RandomAccessFile f = new RandomAccessFile(files.resolve("sparse").toFile(), "rw")) {
            f.seek(5_000_000);
            f.write("end".getBytes(StandardCharsets.US_ASCII));
            f.setLength(9_000_001);
        }
        write(files.resolve("linked"), noise(r, 5000));
        Files.createLink(files.resolve("linked-2"), files.resolve("linked"));
        Files.createDirectories(root.resolve("other"));
        Files.createLink(root.resolve("other/linked-3"), files.resolve("linked"));
        Path x = files.resolve("with-xattrs");
        write(x, noise(r, 6000));
        xattr(x, "comment", "hello".getBytes(StandardCharsets.UTF_8));
        xattr(x, "binary", noise(r, 300));
        xattr(x, "empty", new byte[0]);
        xattr(files, "dir-attr", "on a directory".getBytes(StandardCharsets.UTF_8));
        Path bigX = files.resolve("big-xattr-and-tail");
        write(bigX, noise(r, 4000));
        xattr(bigX, "big", noise(r, 1500));
        Path perms = files.resolve("perms");
        write(perms, noise(r, 10));
        run("chmod", "6755", perms.toString());
        Path sticky = Files.createDirectories(root.resolve("sticky"));
        run("chmod", "1777", sticky.toString());
        Path owned = files.resolve("big-owner");
        write(owned, noise(r, 10));
        run("chown", "100000:200000", owned.toString());
        Path small = files.resolve("small-owner");
        write(small, noise(r, 10));
        run("chown", "1000:1001", small.toString());

        Path links = Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(links.resolve("short"), Path.of("../files/size-1"));
        Files.createSymbolicLink(links.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(links.resolve("long"), Path.of("x".repeat(4000)));
        Files.createSymbolicLink(links.resolve("max"), Path.of("y/".repeat(2047) + "z"));

        Path dev = Files.createDirectories(root.resolve("dev"));
        run("mknod", dev.resolve("null").toString(), "c", "1", "3");
        run("mknod", dev.resolve("big").toString(), "b", "4095", "1048575");
        run("mknod", dev.resolve("fifo").toString(), "p");
        try (var socket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(dev.resolve("socket")));
        }

        Path names = Files.createDirectories(root.resolve("names"));
        write(names.resolve("n".repeat(255)), noise(r, 100));
        write(names.resolve("new\nline"), noise(r, 7));
        write(names.resolve("!before-dot"), noise(r, 7));
        write(names.resolve("-dash"), noise(r, 7));
        write(names.resolve(" space"), noise(r, 7));
        write(names.resolve("ünïcödé ✓"), noise(r, 7));
        write(names.resolve("\u0001ctrl"), noise(r, 7));
        Files.createDirectories(names.resolve("empty-dir"));

        Path deep = root.resolve("deep");
        for (int i = 0; i < 60; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        write(deep.resolve("leaf"), noise(r, 4097));

        Path wide = Files.createDirectories(root.resolve("wide"));
        for (int i = 0; i < 1500; i++) {
            String name = String.format("entry-%05d-%s", i, "w".repeat(i % 40));
            if (i % 7 == 0) {
                Files.createDirectory(wide.resolve(name));
            } else {
                write(wide.resolve(name), noise(r, i % 50));
            }
        }
        // mtimes: most equal to the build time (compact inodes), every fifth one of three others
        // (extended inodes). touch -h sets them without following symlinks or opening FIFOs.
        List<Path> all;
        try (var s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        for (int k = 0; k < 4; k++) {
            List<String> command = new ArrayList<>(List.of("touch", "-h", "-d", "@" + (MTIME - k * 3600L)));
            for (int i = 0; i < all.size(); i++) {
                int group = i % 5 == 0 ? 1 + i / 5 % 3 : 0;
                if (group == k) {
                    command.add(all.get(i).toString());
                }
            }
            run(command.toArray(String[]::new));
        }
        return root;
    }

    /**
     * What the reader tests add to {@link #edgeCases}: xattrs that several files share (mkfs.erofs puts
     * them in the shared area), trusted, security and POSIX ACL xattrs (set with setfattr, when the
     * file system takes them), sizes at 64 KiB cluster edges and a long name that mkfs.erofs 1.5 takes.
     * The 255-byte name goes: mkfs.erofs 1.5 cannot build it.
     */
    static Path readerExtras(Path root) throws IOException {
        Random r = new Random(17);
        Files.delete(root.resolve("names/" + "n".repeat(255)));
        Path files = root.resolve("files");
        for (int size : new int[] {65_535, 65_537, 131_072, 131_073}) {
            write(files.resolve("edge-" + size), text(r, size));
            write(files.resolve("edge-noise-" + size), noise(r, size));
        }
        write(root.resolve("names/" + "l".repeat(200)), text(r, 9000));
        byte[] shared = "one value for many files".getBytes(StandardCharsets.UTF_8);
        for (String f : new String[] {"size-1", "size-31", "size-4096", "text-8192", "linked", "edge-65537", "."}) {
            xattr(files.resolve(f), "shared", shared);
        }
        for (String f : new String[] {"size-1", "size-32", "text-4097", "edge-131072"}) {
            xattr(files.resolve(f), "also-shared", noise(r, 40));
        }
        run("setfattr", "-n", "trusted.note", "-v", "trusted value", files.resolve("size-32").toString());
        run("setfattr", "-n", "security.label", "-v", "0x00ff10", files.resolve("size-4000").toString());
        try {
            // user::rw- user:1000:r-- group::r-- mask::r-- other::r-- as the kernel's posix_acl_xattr
            // (version 2, then tag, permissions, id); a named entry, or the file system keeps only the mode.
            run("setfattr", "-n", "system.posix_acl_access", "-v", ACL, files.resolve("size-8193").toString());
            aclSet = true;
        } catch (IOException e) {
            System.out.println("no POSIX ACL in the test tree: " + e.getMessage());
        }
        return root;
    }

    /**
     * A tree for shared xattrs: 1,000 small files that carry the same two xattrs, an xattr on exactly
     * two files (mkfs.erofs' default tolerance keeps it inline) and one on exactly three (shared),
     * compressible files and a directory with the common pair, and a file with its own xattr too.
     */
    static Path sharedXattrs(Path root) throws IOException {
        Random r = new Random(23);
        Path many = Files.createDirectories(root.resolve("many"));
        byte[] alpha = "some-shared-value".getBytes(StandardCharsets.UTF_8);
        byte[] beta = "another".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            Path f = many.resolve(String.format("f%04d", i));
            write(f, ("file " + i + "\n").getBytes(StandardCharsets.UTF_8));
            xattr(f, "alpha", alpha);
            xattr(f, "beta", beta);
        }
        Path few = Files.createDirectories(root.resolve("few"));
        for (String name : new String[] {"a", "b", "c", "d", "e"}) {
            write(few.resolve(name), text(r, 5000));
        }
        for (String name : new String[] {"a", "b"}) {
            xattr(few.resolve(name), "twice", "twice-value".getBytes(StandardCharsets.UTF_8));
        }
        for (String name : new String[] {"c", "d", "e"}) {
            xattr(few.resolve(name), "thrice", "thrice-value".getBytes(StandardCharsets.UTF_8));
            xattr(few.resolve(name), "alpha", alpha);
        }
        xattr(few.resolve("e"), "own", noise(r, 100));
        xattr(few, "alpha", alpha);
        xattr(few, "beta", beta);
        return root;
    }

    static void write(Path p, byte[] content) throws IOException {
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Words from a small vocabulary: compresses to about a third, like program text. */
    static byte[] text(Random r, int size) {
        String[] words = {"erofs", "sysext", "cluster", "kernel", "block", "inode", "the", "of", "\n", "compress", "lz4"};
        StringBuilder b = new StringBuilder(size + 16);
        while (b.length() < size) {
            b.append(words[r.nextInt(words.length)]).append(r.nextInt(4) == 0 ? Integer.toString(r.nextInt(1000)) : " ");
        }
        return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] noise(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    static void xattr(Path p, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class).write(name, ByteBuffer.wrap(value));
    }

    static String run(String... command) throws IOException {
        Path out = Files.createTempFile("erofs-test", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
            String text = Files.readString(out, StandardCharsets.ISO_8859_1);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
