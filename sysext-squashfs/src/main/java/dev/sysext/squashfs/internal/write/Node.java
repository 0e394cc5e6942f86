package dev.sysext.squashfs.internal.write;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.internal.format.InodeType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One inode of the image being built. Hard links are one Node under several names. Directories
 * keep their children sorted by name bytes, which fixes the inode numbering and the layout.
 *
 * <p>A tree holds one Node per entry until the image is finished, so a Node keeps what the inode
 * needs in plain fields: no {@link EntryMetadata} (with its xattr map, about 130 bytes) and, for a
 * file read from a path, only its directory (shared with its siblings) and its name (the tree's
 * key), not a path of its own. A tree of a million files then needs some 200 MiB less.
 */
final class Node {
    final InodeType type;
    short permissions;
    /** Owner ids as unsigned 32-bit values. */
    int uid;
    int gid;
    /** Seconds, unsigned 32-bit. */
    int mtime;
    Map<String, byte[]> xattrs;
    /** Directories created for a missing parent are replaced by their own entry later. */
    boolean explicit;
    final TreeMap<byte[], Node> children;
    FileData data;
    /**
     * A file whose content is read when the image is finished: {@code sourceDir} resolved with
     * {@code sourceName} (the name it was added under), or, when its path is not of that form,
     * {@code pendingSource}.
     */
    private Path pendingSource;
    private Path sourceDir;
    private byte[] sourceName;
    /** The pending source's size, taken once before the files are written; -1 until then. */
    long pendingSize = -1;
    byte[] symlinkTarget;
    int rdev;
    int names = 1;

    int inodeNumber;
    /** Where its inode is in the (uncompressed) inode table; -1 until written. */
    long inodePosition = -1;

    Node(InodeType type, EntryMetadata metadata) {
        this.type = type;
        metadata(metadata);
        this.children = type == InodeType.DIRECTORY ? new TreeMap<>(Arrays::compareUnsigned) : null;
    }

    void metadata(EntryMetadata m) {
        permissions = (short) m.permissions();
        uid = (int) m.uid();
        gid = (int) m.gid();
        mtime = (int) m.mtime();
        xattrs = m.xattrs().isEmpty() ? Map.of() : m.xattrs();
    }

    long uid() {
        return Integer.toUnsignedLong(uid);
    }

    long gid() {
        return Integer.toUnsignedLong(gid);
    }

    long mtime() {
        return Integer.toUnsignedLong(mtime);
    }

    /**
     * Makes this a file read from {@code source} when the image is finished. {@code name} is the
     * tree's key for it; {@code lastDir} a directory an earlier sibling used, or null. Returns
     * the directory to pass with the next file.
     */
    Path pendingSource(Path source, byte[] name, Path lastDir) {
        Path dir = source.getParent();
        Path file = source.getFileName();
        if (dir != null && file != null && Arrays.equals(file.toString().getBytes(StandardCharsets.UTF_8), name)) {
            Path shared = dir.equals(lastDir) ? lastDir : dir;
            // Only where the name maps back to the same path (a name that is not UTF-8 may not).
            if (shared.resolve(file.toString()).equals(source)) {
                sourceDir = shared;
                sourceName = name;
                return shared;
            }
        }
        pendingSource = source;
        return lastDir;
    }

    boolean hasPendingSource() {
        return pendingSource != null || sourceDir != null;
    }

    Path pendingSource() {
        return pendingSource != null ? pendingSource
                : sourceDir == null ? null : sourceDir.resolve(new String(sourceName, StandardCharsets.UTF_8));
    }

    boolean isDirectory() {
        return type == InodeType.DIRECTORY;
    }

    boolean written() {
        return inodePosition >= 0;
    }

    int subdirectoryCount() {
        int n = 0;
        for (Node c : children.values()) {
            if (c.isDirectory()) {
                n++;
            }
        }
        return n;
    }
}
