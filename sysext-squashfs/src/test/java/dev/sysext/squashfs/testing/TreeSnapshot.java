package dev.sysext.squashfs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a SquashFS image should preserve about a directory tree, read from the file system
 * (a source tree, a kernel mount, an unsquashfs extraction), so two trees can be compared.
 */
public final class TreeSnapshot {

    /** What to compare; {@link #ALL} by default. */
    public enum Aspect {
        MODE, OWNER, MTIME, CONTENT, XATTRS, HARD_LINKS, DEVICE_NUMBERS;
        public static final Set<Aspect> ALL = EnumSet.allOf(Aspect.class);
    }

    /** One entry's state; fields not compared are null or zero. */
    public record Entry(String type, Integer permissions, String owner, Long mtime, long size, String content,
            String linkTarget, Long rdev, Map<String, String> xattrs, String hardLinkGroup) {
    }

    private TreeSnapshot() {
    }

    /** Reads the tree under {@code root}; keys are paths relative to it, "." for the root. */
    public static SortedMap<String, Entry> of(Path root, Set<Aspect> aspects) throws IOException {
        SortedMap<String, Entry> out = new TreeMap<>();
        Map<List<Object>, List<String>> inodes = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            String rel = root.relativize(p).toString();
            String key = rel.isEmpty() ? "." : rel;
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,ino,dev,rdev,nlink,size",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String type = switch (mode & 0170000) {
                case 0040000 -> "dir";
                case 0100000 -> "file";
                case 0120000 -> "symlink";
                case 0020000 -> "chardev";
                case 0060000 -> "blockdev";
                case 0010000 -> "fifo";
                case 0140000 -> "socket";
                default -> "unknown";
            };
            if (!type.equals("dir") && (Integer) a.get("nlink") > 1) {
                inodes.computeIfAbsent(List.of(a.get("dev"), a.get("ino")), k -> new ArrayList<>()).add(key);
            }
            out.put(key, new Entry(type,
                    aspects.contains(Aspect.MODE) ? mode & 07777 : null,
                    aspects.contains(Aspect.OWNER) ? a.get("uid") + ":" + a.get("gid") : null,
                    aspects.contains(Aspect.MTIME) ? ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000 : null,
                    type.equals("file") || type.equals("symlink") ? (Long) a.get("size") : 0,
                    type.equals("file") && aspects.contains(Aspect.CONTENT) ? sha256(p) : null,
                    type.equals("symlink") ? Files.readSymbolicLink(p).toString() : null,
                    type.endsWith("dev") && aspects.contains(Aspect.DEVICE_NUMBERS) ? (Long) a.get("rdev") : null,
                    aspects.contains(Aspect.XATTRS) && (type.equals("file") || type.equals("dir")) ? xattrs(p) : null,
                    null));
        }
        if (aspects.contains(Aspect.HARD_LINKS)) {
            for (List<String> group : inodes.values()) {
                String first = group.stream().sorted().findFirst().orElseThrow();
                for (String k : group) {
                    Entry e = out.get(k);
                    out.put(k, new Entry(e.type(), e.permissions(), e.owner(), e.mtime(), e.size(), e.content(),
                            e.linkTarget(), e.rdev(), e.xattrs(), first));
                }
            }
        }
        return out;
    }

    /** Fails with a list of the differences unless the two trees agree in every aspect asked for. */
    public static void assertSame(Path expected, Path actual, Set<Aspect> aspects) throws IOException {
        SortedMap<String, Entry> e = of(expected, aspects);
        SortedMap<String, Entry> a = of(actual, aspects);
        List<String> diffs = new ArrayList<>();
        TreeMap<String, Object> keys = new TreeMap<>();
        e.keySet().forEach(k -> keys.put(k, k));
        a.keySet().forEach(k -> keys.put(k, k));
        for (String k : keys.keySet()) {
            Entry x = e.get(k);
            Entry y = a.get(k);
            if (!Objects.equals(x, y)) {
                diffs.add(k + "\n    expected " + x + "\n    actual   " + y);
            }
        }
        if (!diffs.isEmpty()) {
            throw new AssertionError(diffs.size() + " differences between " + expected + " and " + actual + ":\n"
                    + String.join("\n", diffs.subList(0, Math.min(20, diffs.size()))));
        }
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> xattrs(Path p) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Map<String, String> out = new TreeMap<>();
        for (String name : v.list()) {
            ByteBuffer b = ByteBuffer.allocate(v.size(name));
            v.read(name, b);
            out.put(name, HexFormat.of().formatHex(b.array(), 0, b.position()));
        }
        return out;
    }
}
