package dev.sysext.squashfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One line per path describing everything the reader must reproduce (type, mode, owner, mtime,
 * size, content digest, symlink target, device numbers, user xattrs, hard-link group), taken
 * either from a directory on disk or from an image, so the two can be compared as maps.
 */
final class TreeDescription {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TreeDescription() {
    }

    /** Describes a directory tree through lstat. */
    static Map<String, String> ofDirectory(Path root, boolean xattrs) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> linkLeader = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        Map<Long, String> leaders = new java.util.HashMap<>();
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW);
            if (!Files.isDirectory(p, NOFOLLOW)) {
                long ino = (Long) a.get("ino");
                String rel = rel(root, p);
                leaders.merge(ino, rel, (x, y) -> x.compareTo(y) <= 0 ? x : y);
            }
        }
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW);
            String rel = rel(root, p);
            int mode = (Integer) a.get("mode");
            char type = switch (mode & 0170000) {
                case 0040000 -> 'd';
                case 0100000 -> '-';
                case 0120000 -> 'l';
                case 0060000 -> 'b';
                case 0020000 -> 'c';
                case 0010000 -> 'p';
                case 0140000 -> 's';
                default -> '?';
            };
            StringBuilder b = new StringBuilder();
            b.append(type).append(' ').append(Integer.toOctalString(mode & 07777));
            b.append(' ').append(Integer.toUnsignedLong((Integer) a.get("uid")));
            b.append('/').append(Integer.toUnsignedLong((Integer) a.get("gid")));
            b.append(" mtime=").append(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
            switch (type) {
                case '-' -> {
                    b.append(" size=").append(a.get("size")).append(" nlink=").append(a.get("nlink"));
                    b.append(" sha256=").append(digest(Files.newInputStream(p)));
                    b.append(" links=").append(leaders.get((Long) a.get("ino")));
                }
                case 'l' -> b.append(" -> ").append(Files.readSymbolicLink(p));
                case 'b', 'c' -> {
                    long rdev = (Long) a.get("rdev");
                    long major = ((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL);
                    long minor = (rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL);
                    b.append(" dev=").append(major).append(',').append(minor);
                }
                default -> { }
            }
            if (xattrs && (type == '-' || type == 'd')) { // opening a FIFO to list them would block
                UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                Map<String, String> x = new TreeMap<>();
                for (String name : v.list()) {
                    ByteBuffer buf = ByteBuffer.allocate(v.size(name));
                    v.read(name, buf);
                    x.put("user." + name, HexFormat.of().formatHex(buf.array()));
                }
                if (!x.isEmpty()) {
                    b.append(" xattrs=").append(x);
                }
            }
            out.put(rel, b.toString());
        }
        linkLeader.clear();
        return out;
    }

    /** Describes an image through the reader, reading every file's content through its stream. */
    static Map<String, String> ofImage(SquashfsImage image, boolean xattrs) throws IOException {
        List<ImageEntry> entries = image.entries();
        Map<Long, String> leaders = new java.util.HashMap<>();
        for (ImageEntry e : entries) {
            if (!e.isDirectory()) {
                leaders.merge(e.inodeNumber(), e.path(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (ImageEntry e : entries) {
            StringBuilder b = new StringBuilder();
            b.append(e.type().lsChar()).append(' ').append(Integer.toOctalString(e.mode()));
            b.append(' ').append(e.uid()).append('/').append(e.gid());
            b.append(" mtime=").append(e.mtime());
            switch (e.type()) {
                case FILE -> {
                    b.append(" size=").append(e.size()).append(" nlink=").append(e.nlink());
                    b.append(" sha256=").append(digest(image.open(e)));
                    b.append(" links=").append(leaders.get(e.inodeNumber()));
                }
                case SYMLINK -> b.append(" -> ").append(e.symlinkTarget());
                case BLOCK_DEVICE, CHAR_DEVICE -> b.append(" dev=").append(e.deviceMajor()).append(',').append(e.deviceMinor());
                default -> { }
            }
            if (xattrs && (e.isFile() || e.isDirectory())) {
                Map<String, String> x = new TreeMap<>();
                for (ImageXattr a : e.xattrs()) {
                    x.put(a.name(), HexFormat.of().formatHex(a.value()));
                }
                if (!x.isEmpty()) {
                    b.append(" xattrs=").append(x);
                }
            }
            out.put(e.path(), b.toString());
        }
        return out;
    }

    /** Fails with the differing paths (at most 20) when two descriptions differ. */
    static void assertSame(Map<String, String> expected, Map<String, String> actual, String what) {
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder diff = new StringBuilder();
        int shown = 0;
        for (String k : keys) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (!java.util.Objects.equals(e, a) && shown++ < 20) {
                diff.append("\n  ").append(k).append("\n    expected: ").append(e).append("\n    actual:   ").append(a);
            }
        }
        if (shown > 0) {
            org.junit.jupiter.api.Assertions.fail(what + ": " + shown + " paths differ" + diff);
        }
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString();
    }

    static String digest(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            long total = 0;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16) + "/" + total;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
