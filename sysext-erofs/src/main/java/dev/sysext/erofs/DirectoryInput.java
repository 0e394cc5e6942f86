package dev.sysext.erofs;

import dev.sysext.entry.EntryMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feeds a directory tree to an {@link ErofsWriter}. The SquashFS module's DirectorySource does the
 * same for its writer; once both writers share an entry-sink interface, one walker will serve both.
 */
final class DirectoryInput {
    private static final String ATTRIBUTES = "unix:mode,uid,gid,lastModifiedTime,ino,dev,rdev,nlink,size";

    private final ErofsWriter writer;
    private final boolean xattrs;
    private final Map<List<Object>, String> firstName = new HashMap<>();

    DirectoryInput(ErofsWriter writer, boolean xattrs) {
        this.writer = writer;
        this.xattrs = xattrs;
    }

    void add(Path root) throws IOException {
        writer.directory("", metadata(root, attributes(root)));
        walk(root, "");
    }

    private void walk(Path dir, String prefix) throws IOException {
        // Content is laid out in this order: sorted so that the image does not depend on readdir order.
        TreeMap<byte[], Path> children = new TreeMap<>(Arrays::compareUnsigned);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                children.put(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), p);
            }
        }
        for (Path p : children.values()) {
            String path = prefix + p.getFileName();
            Map<String, Object> a = attributes(p);
            int type = (Integer) a.get("mode") & 0170000;
            try {
                if (type != 0040000 && (Integer) a.get("nlink") > 1) {
                    String first = firstName.putIfAbsent(List.of(a.get("dev"), a.get("ino")), path);
                    if (first != null) {
                        writer.hardLink(path, first);
                        continue;
                    }
                }
                EntryMetadata m = metadata(p, a);
                long rdev = (Long) a.get("rdev");
                int major = (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
                int minor = (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
                switch (type) {
                    case 0040000 -> {
                        writer.directory(path, m);
                        walk(p, path + "/");
                    }
                    case 0100000 -> writer.file(path, m, p);
                    case 0120000 -> writer.symlink(path, m, Files.readSymbolicLink(p).toString());
                    case 0020000 -> writer.charDevice(path, m, major, minor);
                    case 0060000 -> writer.blockDevice(path, m, major, minor);
                    case 0010000 -> writer.fifo(path, m);
                    case 0140000 -> writer.socket(path, m);
                    default -> throw new IOException(p + ": unknown file type " + Integer.toOctalString(type));
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Object> attributes(Path p) throws IOException {
        return Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    private EntryMetadata metadata(Path p, Map<String, Object> a) throws IOException {
        int mode = (Integer) a.get("mode");
        long mtime = Math.max(0, Math.min(0xFFFFFFFFL, Math.floorDiv(((FileTime) a.get("lastModifiedTime")).toMillis(), 1000)));
        int type = mode & 0170000;
        Map<String, byte[]> x = Map.of();
        // user.* xattrs exist on files and directories only (the kernel refuses them elsewhere).
        if (xattrs && (type == 0100000 || type == 0040000)) {
            x = userXattrs(p);
        }
        return new EntryMetadata(mode & 07777, Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")), mtime, x);
    }

    private static Map<String, byte[]> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Map<String, byte[]> out = new TreeMap<>();
        if (view == null) {
            return out;
        }
        for (String name : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            out.put("user." + name, Arrays.copyOf(b.array(), b.position()));
        }
        return out;
    }
}
