package dev.sysext.entry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a directory tree to an {@link EntryWriter} (the SquashFS or the EROFS writer): walked in
 * name-byte order, symlinks not followed, hard links detected by device and inode number,
 * {@code user.*} xattrs (on files and directories), device numbers, owners, permission bits and
 * modification times (whole seconds) kept. The tree's root becomes the image root. Linux only (it
 * reads the {@code unix:} file attributes).
 */
public final class DirectorySource {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final String ATTRIBUTES = "unix:mode,uid,gid,lastModifiedTime,ino,dev,rdev,nlink,size";

    private final EntryWriter writer;
    private final boolean xattrs;
    private final Map<List<Object>, String> firstLinkName = new HashMap<>();

    private DirectorySource(EntryWriter writer, boolean xattrs) {
        this.writer = writer;
        this.xattrs = xattrs;
    }

    /**
     * Adds every entry under {@code root} (and the root's own metadata) to {@code writer}.
     *
     * @param readXattrs whether to read {@code user.*} extended attributes
     * @throws IOException when the tree cannot be read or the writer refuses an entry; the message
     *     names the path. The writer is told it {@linkplain EntryWriter#failed() failed}.
     */
    public static void addTree(EntryWriter writer, Path root, boolean readXattrs) throws IOException {
        try {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.NotDirectoryException(root.toString());
            }
            DirectorySource s = new DirectorySource(writer, readXattrs);
            s.writer.directory("", s.metadata(root, attributes(root)));
            s.walk(root, "");
        } catch (Throwable e) {
            writer.failed(); // an unreadable tree is the writer's failure: close() cleans up quietly
            throw e;
        }
    }

    private void walk(Path dir, String prefix) throws IOException {
        TreeMap<byte[], Path> children = new TreeMap<>(Arrays::compareUnsigned);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                children.put(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), p);
            }
        }
        for (Path p : children.values()) {
            String path = prefix + p.getFileName();
            Map<String, Object> a = attributes(p);
            int mode = (Integer) a.get("mode");
            int type = mode & S_IFMT;
            try {
                if (type != S_IFDIR && (Integer) a.get("nlink") > 1) {
                    List<Object> key = List.of(a.get("dev"), a.get("ino"));
                    String first = firstLinkName.putIfAbsent(key, path);
                    if (first != null) {
                        writer.hardLink(path, first);
                        continue;
                    }
                }
                EntryMetadata m = metadata(p, a);
                long rdev = (Long) a.get("rdev");
                switch (type) {
                    case S_IFDIR -> {
                        writer.directory(path, m);
                        walk(p, path + "/");
                    }
                    case S_IFREG -> writer.file(path, m, p, (Long) a.get("size"));
                    case S_IFLNK -> writer.symlink(path, m, Files.readSymbolicLink(p).toString());
                    case S_IFCHR -> writer.charDevice(path, m, major(rdev), minor(rdev));
                    case S_IFBLK -> writer.blockDevice(path, m, major(rdev), minor(rdev));
                    case S_IFIFO -> writer.fifo(path, m);
                    case S_IFSOCK -> writer.socket(path, m);
                    default -> throw new IOException(p + ": unknown file type " + Integer.toOctalString(type));
                }
            } catch (IllegalArgumentException e) {
                // A name or value the writer refuses (too long, say): the error names the file.
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    private EntryMetadata metadata(Path p, Map<String, Object> a) throws IOException {
        int mode = (Integer) a.get("mode");
        long mtime = Math.max(0, Math.min(0xFFFFFFFFL,
                Math.floorDiv(((FileTime) a.get("lastModifiedTime")).toMillis(), 1000)));
        int type = mode & S_IFMT;
        Map<String, byte[]> x = Map.of();
        // user.* xattrs exist on files and directories only (the kernel refuses them elsewhere).
        if (xattrs && (type == S_IFREG || type == S_IFDIR)) {
            x = userXattrs(p);
        }
        return new EntryMetadata(mode & 07777, Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")), mtime, x);
    }

    private static Map<String, byte[]> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Map.of();
        }
        List<String> names = new ArrayList<>(view.list());
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : names) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            out.put("user." + name, Arrays.copyOf(b.array(), b.position()));
        }
        return out;
    }

    /** The kernel's new_decode_dev. */
    private static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
    }

    private static int minor(long rdev) {
        return (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
    }
}
