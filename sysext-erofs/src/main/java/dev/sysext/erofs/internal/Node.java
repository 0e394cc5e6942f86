package dev.sysext.erofs.internal;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * One inode of the image being built. Holds what the metadata needs (never file content: that is
 * in the image or the tail spool already), so memory grows with the number of entries only.
 */
final class Node {
    final int type;
    int permissions;
    long uid;
    long gid;
    long mtime;
    /** The inode's xattrs as the image's xattr table holds them, in the order they were given. */
    List<XattrTable.Xattr> xattrs = List.of();
    /** Directories only: children by name, in unsigned byte order as the kernel's binary search needs. */
    final TreeMap<byte[], Node> children;
    /** Directories only: the directory that holds this one (the root holds itself). */
    Node parent;
    /** Whether a directory's metadata came from its own entry rather than from a child's implicit parent. */
    boolean explicit;

    long size;
    /** First block of the content's whole blocks (files, symlinks, directories), 0 when none. */
    long dataBlock;
    /** Where the tail (the last size % 4096 bytes) lies in the spool, for files and symlinks. */
    long tailOffset;
    /** Whether the tail sits inline after the inode (FLAT_INLINE) rather than in a block of its own. */
    boolean inlineTail;
    int rdev;
    /** Names of this inode; directories get 2 + subdirectories at layout time. */
    long nlink = 1;

    /** Compressed files (COMPRESSED_FULL): the lcluster index array in the spool, and the blocks used. */
    boolean compressed;
    long mapOffset;
    int mapLength;
    long compressedBlocks;
    /** ztailpacking: the length of the last extent's data stored after the index array (0: none). */
    int inlineExtent;
    /** While a compressed file's segments are written: its extents so far. */
    java.util.List<ImageBuilder.Extent> extents;

    // Layout, set when the image is finished.
    boolean extended;
    int xattrSize;
    long position;
    long nid = -1;
    long ino;

    Node(int type) {
        this.type = type;
        this.children = type == Format.S_IFDIR ? new TreeMap<>(Arrays::compareUnsigned) : null;
    }

    boolean isDirectory() {
        return type == Format.S_IFDIR;
    }

    long tailLength() {
        return size % Format.BLOCK;
    }

    int inodeSize() {
        return extended ? Format.EXTENDED_INODE : Format.COMPACT_INODE;
    }

    /** Bytes from the inode's start to the end of its inline tail. */
    long recordSize() {
        if (compressed) {
            // The map header sits at the next 8-byte boundary, then 8 reserved bytes, then the indexes.
            return ((inodeSize() + xattrSize + 7) & ~7) + Format.MAP_HEADER + mapLength + inlineExtent;
        }
        return inodeSize() + xattrSize + (inlineTail ? tailLength() : 0);
    }
}
