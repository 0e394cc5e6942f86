package dev.sysext.squashfs.internal.write;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.internal.format.InodeType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * One inode of the image being built. Hard links are one Node under several names. Directories
 * keep their children sorted by name bytes, which fixes the inode numbering and the layout.
 */
final class Node {
    final InodeType type;
    EntryMetadata metadata;
    /** Directories created for a missing parent are replaced by their own entry later. */
    boolean explicit;
    final TreeMap<byte[], Node> children;
    FileData data;
    Path pendingSource;
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
        this.metadata = metadata;
        this.children = type == InodeType.DIRECTORY ? new TreeMap<>(Arrays::compareUnsigned) : null;
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
