package dev.sysext.erofs;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageXattr;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What an image must keep of a tree, read through lstat so that a source and a mount compare entry by entry. */
final class Snapshot {
    private Snapshot() {
    }

    /** Everything but owners and mtimes is always compared; those two when asked. */
    static SortedMap<String, String> of(Path root, boolean owners, boolean mtimes) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        Map<Object, List<String>> groups = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = s.toList();
        }
        for (Path p : paths) {
            String key = root.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,ino,rdev,nlink,size",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            StringBuilder b = new StringBuilder(String.format("%06o nlink=%d", mode, (Integer) a.get("nlink")));
            if (owners) {
                b.append(" owner=").append(Integer.toUnsignedLong((Integer) a.get("uid"))).append(':')
                        .append(Integer.toUnsignedLong((Integer) a.get("gid")));
            }
            if (mtimes) {
                b.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
            }
            if (type == 0100000) {
                b.append(" size=").append((Long) a.get("size")).append(" sha256=").append(sha256(p));
            } else if (type == 0120000) {
                b.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (type == 0020000 || type == 0060000) {
                b.append(" rdev=").append(Long.toHexString((Long) a.get("rdev")));
            }
            if (type == 0100000 || type == 0040000) {
                b.append(" xattrs=").append(xattrs(p));
            }
            if (type != 0040000) {
                groups.computeIfAbsent(a.get("ino"), k -> new ArrayList<>()).add(key);
            }
            out.put(key, b.toString());
        }
        markLinks(out, groups.values());
        return out;
    }

    /**
     * The same listing from our reader ({@link ErofsImage#entries}, {@link ErofsImage#open}): compares
     * with {@link #of(Path, boolean, boolean)} of the mounted image, user xattrs only as there.
     */
    static SortedMap<String, String> of(ErofsImage image, boolean owners, boolean mtimes) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        Map<Long, List<String>> groups = new HashMap<>();
        for (ImageEntry e : image.entries()) {
            int type = typeBits(e.type());
            StringBuilder b = new StringBuilder(String.format("%06o nlink=%d", type | e.mode(), e.nlink()));
            if (owners) {
                b.append(" owner=").append(e.uid()).append(':').append(e.gid());
            }
            if (mtimes) {
                b.append(" mtime=").append(e.mtime());
            }
            if (type == 0100000) {
                try (InputStream in = image.open(e)) {
                    b.append(" size=").append(e.size()).append(" sha256=").append(sha256(in));
                }
            } else if (type == 0120000) {
                b.append(" -> ").append(e.symlinkTarget());
            } else if (type == 0020000 || type == 0060000) {
                long major = e.deviceMajor();
                long minor = e.deviceMinor();
                long rdev = (major & 0xFFF) << 8 | (major & ~0xFFFL) << 32 | minor & 0xFF | (minor & ~0xFFL) << 12;
                b.append(" rdev=").append(Long.toHexString(rdev));
            }
            if (type == 0100000 || type == 0040000) {
                Map<String, String> user = new TreeMap<>();
                for (ImageXattr x : e.xattrs()) {
                    if (x.name().startsWith("user.")) {
                        user.put(x.name().substring(5), HexFormat.of().formatHex(x.value()));
                    }
                }
                b.append(" xattrs=").append(user);
            }
            if (type != 0040000) {
                groups.computeIfAbsent(e.inodeNumber(), k -> new ArrayList<>()).add(e.path());
            }
            out.put(e.path(), b.toString());
        }
        markLinks(out, groups.values());
        return out;
    }

    /** The file type bits of st_mode (S_IFDIR, ...) for an entry type. */
    static int typeBits(ImageEntryType type) {
        return switch (type) {
            case DIRECTORY -> 0040000;
            case FILE -> 0100000;
            case SYMLINK -> 0120000;
            case CHAR_DEVICE -> 0020000;
            case BLOCK_DEVICE -> 0060000;
            case FIFO -> 0010000;
            case SOCKET -> 0140000;
        };
    }

    /** Appends {@code linked-with=} the first name (sorted) to each name of a group of hard links. */
    private static void markLinks(SortedMap<String, String> out, Collection<? extends List<String>> groups) {
        for (List<String> names : groups) {
            if (names.size() > 1) {
                String first = names.stream().sorted().findFirst().orElseThrow();
                for (String n : names) {
                    out.put(n, out.get(n) + " linked-with=" + first);
                }
            }
        }
    }

    /** Every xattr of every entry of our reader's listing, all namespaces: path -> name -> hex value. */
    static SortedMap<String, SortedMap<String, String>> xattrs(ErofsImage image) throws IOException {
        SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
        for (ImageEntry e : image.entries()) {
            for (ImageXattr x : e.xattrs()) {
                out.computeIfAbsent(e.path(), k -> new TreeMap<>()).put(x.name(), HexFormat.of().formatHex(x.value()));
            }
        }
        return out;
    }

    /** Every xattr under {@code root} as getfattr(1) lists it (all namespaces, symlinks not followed). */
    static SortedMap<String, SortedMap<String, String>> getfattr(Path root) throws IOException {
        String text = Trees.run("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", root.toString());
        SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
        String file = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# file: ")) {
                file = root.relativize(Path.of(line.substring(8))).toString();
            } else if (!line.isEmpty() && file != null) {
                int eq = line.indexOf('=');
                String name = eq < 0 ? line : line.substring(0, eq);
                String value = eq < 0 ? "" : line.substring(eq + 1);
                out.computeIfAbsent(file, k -> new TreeMap<>()).put(name, value.startsWith("0x") ? value.substring(2) : value);
            }
        }
        return out;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return sha256(in);
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
