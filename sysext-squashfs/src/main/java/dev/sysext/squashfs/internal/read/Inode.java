package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.internal.format.InodeType;

/**
 * A decoded inode. Fields that do not apply to its type are zero; {@code xattrIndex} is -1 when
 * the inode has no xattrs, {@code fragment} -1 when the file has no tail in a fragment.
 *
 * @param ref the metadata reference the inode was read from
 * @param size file size; for directories the stored listing size (listing bytes + 3); for symlinks the target length
 * @param blocksStart files: offset of the first data block; directories: listing block in the directory table
 * @param listingOffset directories: offset of the listing in its block
 * @param blockListPosition files: absolute position of the metadata block holding the block size list
 * @param blockListOffset files: offset of the block size list in that block
 * @param blockCount files: number of full or partial blocks stored outside a fragment
 */
public record Inode(
        long ref,
        InodeType type,
        boolean extended,
        int mode,
        int uidIndex,
        int gidIndex,
        long mtime,
        long number,
        long nlink,
        long size,
        long blocksStart,
        int listingOffset,
        long parentNumber,
        long fragment,
        long fragmentOffset,
        long blockListPosition,
        int blockListOffset,
        long blockCount,
        byte[] symlinkTarget,
        int rdev,
        long xattrIndex) {

    public int deviceMajor() {
        return (rdev >>> 8) & 0xFFF;
    }

    public int deviceMinor() {
        return (rdev & 0xFF) | ((rdev >>> 12) & 0xFFF00);
    }

    public boolean hasFragment() {
        return fragment >= 0;
    }
}
