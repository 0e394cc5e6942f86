package dev.sysext.squashfs.testing;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageXattr;
import dev.sysext.squashfs.SquashfsImage;
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
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Everything a SquashFS image should preserve about a tree, read either from the file system (a
 * source tree, a kernel mount, an extraction) or from an image through our reader, so that any two
 * of them can be compared entry by entry.
 */
public final class TreeSnapshot {

    /** What to compare; {@link #ALL} by default. */
    public enum Aspect {
        MODE, OWNER, MTIME, CONTENT, XATTRS, HARD_LINKS, DEVICE_NUMBERS;
        public static final Set<Aspect> ALL = Set.copyOf(EnumSet.allOf(Aspect.class));

        /** Every aspect but the ones named. */
        public static Set<Aspect> allBut(Aspect... left) {
            EnumSet<Aspect> s = EnumSet.allOf(Aspect.class);
            s.removeAll(List.of(left));
            return s;
        }
    }

    /**
     * One entry's state; fields not compared are null. {@code nlink} is compared for non-directories
     * with {@link Aspect#HARD_LINKS}, capped at the number of names the tree holds; {@code hardLinkGroup} is the first path of the entry's inode
     * when the tree holds two or more names of it.
     */
    public record Entry(String type, Integer permissions, String owner, Long mtime, long size, String content,
            String linkTarget, String device, Map<String, String> xattrs, Long nlink, String hardLinkGroup) {
        Entry withGroup(String group) {
            return new Entry(type, permissions, owner, mtime, size, content, linkTarget, device, xattrs, nlink, group);
        }

        Entry withNlink(long n) {
            return new Entry(type, permissions, owner, mtime, size, content, linkTarget, device, xattrs, n, hardLinkGroup);
        }
    }

    private TreeSnapshot() {
    }

    /** Reads the tree under {@code root} through lstat; keys are paths relative to it, "." for the root. */
    public static SortedMap<String, Entry> of(Path root, Set<Aspect> aspects) throws IOException {
        SortedMap<String, Entry> out = new TreeMap<>();
        Map<Object, List<String>> inodes = new HashMap<>();
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
            if (!type.equals("dir")) {
                inodes.computeIfAbsent(List.of(a.get("dev"), a.get("ino")), k -> new ArrayList<>()).add(key);
            }
            long rdev = (Long) a.get("rdev");
            // glibc's major()/minor() split of dev_t
            long major = ((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL);
            long minor = (rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL);
            out.put(key, entry(aspects, type, mode & 07777,
                    Integer.toUnsignedLong((Integer) a.get("uid")), Integer.toUnsignedLong((Integer) a.get("gid")),
                    ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000,
                    type.equals("file") || type.equals("symlink") ? (Long) a.get("size") : 0,
                    () -> sha256(Files.newInputStream(p)),
                    type.equals("symlink") ? Files.readSymbolicLink(p).toString() : null,
                    major + "," + minor, () -> xattrs(p), ((Integer) a.get("nlink")).longValue()));
        }
        return withHardLinkGroups(out, inodes, aspects);
    }

    /** Reads the tree of an image through our reader, every file's content through its stream. */
    public static SortedMap<String, Entry> of(SquashfsImage image, Set<Aspect> aspects) throws IOException {
        SortedMap<String, Entry> out = new TreeMap<>();
        Map<Object, List<String>> inodes = new HashMap<>();
        for (ImageEntry e : image.entries()) {
            String key = e.path().isEmpty() ? "." : e.path();
            String type = switch (e.type()) {
                case DIRECTORY -> "dir";
                case FILE -> "file";
                case SYMLINK -> "symlink";
                case CHAR_DEVICE -> "chardev";
                case BLOCK_DEVICE -> "blockdev";
                case FIFO -> "fifo";
                case SOCKET -> "socket";
            };
            if (!e.isDirectory()) {
                inodes.computeIfAbsent(e.inodeNumber(), k -> new ArrayList<>()).add(key);
            }
            out.put(key, entry(aspects, type, e.mode(), e.uid(), e.gid(), e.mtime(),
                    e.isFile() || type.equals("symlink") ? e.size() : 0,
                    () -> sha256(image.open(e)), e.symlinkTarget(), e.deviceMajor() + "," + e.deviceMinor(),
                    () -> {
                        Map<String, String> x = new TreeMap<>();
                        for (ImageXattr a : e.xattrs()) {
                            x.put(a.name(), HexFormat.of().formatHex(a.value()));
                        }
                        return x;
                    }, e.nlink()));
        }
        return withHardLinkGroups(out, inodes, aspects);
    }

    private interface Lazy<T> {
        T get() throws IOException;
    }

    private static Entry entry(Set<Aspect> aspects, String type, int permissions, long uid, long gid, long mtime,
            long size, Lazy<String> content, String linkTarget, String device, Lazy<Map<String, String>> xattrs,
            long nlink) throws IOException {
        boolean dir = type.equals("dir");
        return new Entry(type,
                aspects.contains(Aspect.MODE) ? permissions : null,
                aspects.contains(Aspect.OWNER) ? uid + ":" + gid : null,
                aspects.contains(Aspect.MTIME) ? mtime : null,
                size,
                type.equals("file") && aspects.contains(Aspect.CONTENT) ? content.get() : null,
                type.equals("symlink") ? linkTarget : null,
                type.endsWith("dev") && aspects.contains(Aspect.DEVICE_NUMBERS) ? device : null,
                // Only files and directories: opening a FIFO to list its xattrs would block.
                aspects.contains(Aspect.XATTRS) && (type.equals("file") || dir) ? xattrs.get() : null,
                aspects.contains(Aspect.HARD_LINKS) && !dir ? nlink : null,
                null);
    }

    private static SortedMap<String, Entry> withHardLinkGroups(SortedMap<String, Entry> out,
            Map<Object, List<String>> inodes, Set<Aspect> aspects) {
        if (aspects.contains(Aspect.HARD_LINKS)) {
            for (List<String> group : inodes.values()) {
                if (group.size() < 2) {
                    continue; // the other names, if any, lie outside the tree
                }
                String first = group.stream().sorted().findFirst().orElseThrow();
                for (String k : group) {
                    out.put(k, out.get(k).withGroup(first));
                }
            }
            for (List<String> group : inodes.values()) {
                for (String k : group) {
                    Entry e = out.get(k);
                    // Names outside the tree (a subtree's source) count on disk but not in the image.
                    out.put(k, e.withNlink(Math.min(e.nlink(), group.size())));
                }
            }
        }
        return out;
    }

    /** Fails with a list of the differences unless the two trees agree in every aspect asked for. */
    public static void assertSame(Path expected, Path actual, Set<Aspect> aspects) throws IOException {
        assertSame(of(expected, aspects), of(actual, aspects), expected + " vs " + actual);
    }

    /** Fails with the differing paths (the first 20) unless the two snapshots are equal. */
    public static void assertSame(SortedMap<String, Entry> expected, SortedMap<String, Entry> actual, String what) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            Entry x = expected.get(k);
            Entry y = actual.get(k);
            if (!Objects.equals(x, y)) {
                diffs.add(k + "\n    expected " + x + "\n    actual   " + y);
            }
        }
        if (!diffs.isEmpty()) {
            throw new AssertionError(what + ": " + diffs.size() + " entries differ:\n"
                    + String.join("\n", diffs.subList(0, Math.min(20, diffs.size()))));
        }
    }

    /** The SHA-256 of a stream, in hex, with the byte count; closes the stream. */
    public static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            return HexFormat.of().formatHex(md.digest()) + "/" + total;
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
            out.put("user." + name, HexFormat.of().formatHex(b.array(), 0, b.position()));
        }
        return out;
    }

}
