package dev.sysext.entry;

import java.util.List;

/**
 * One entry of an image (SquashFS or EROFS), as the directory tree presents it. Hard links
 * appear once per path, with the same {@code inodeNumber}.
 *
 * @param path the path relative to the image root, {@code /}-separated, without a leading slash;
 *     the root itself is the empty string. Names are decoded as UTF-8.
 * @param type the kind of entry
 * @param mode permission bits including setuid, setgid and sticky ({@code 07777})
 * @param uid owner user id
 * @param gid owner group id
 * @param mtime modification time, seconds since the epoch
 * @param size file size for files; the target length for symlinks; for directories the size the
 *     format stores (SquashFS: the listing size {@code unsquashfs -lln} shows; EROFS: the size of
 *     the directory's blocks); 0 otherwise
 * @param nlink link count
 * @param inodeNumber the inode number, the same for every name of one inode (SquashFS: 1..inode
 *     count; EROFS: the nid + 1)
 * @param symlinkTarget the target of a symlink, otherwise null
 * @param deviceMajor major device number of a block or character device, otherwise 0
 * @param deviceMinor minor device number of a block or character device, otherwise 0
 * @param xattrs extended attributes in stored order (empty when none, or when read without them)
 * @param inodeReference where the reader finds the inode again, for
 *     {@link ImageReader#open(ImageEntry)}: for SquashFS the position in the inode table (block
 *     offset {@code << 16 | offset}), for EROFS the nid
 */
public record ImageEntry(
        String path,
        ImageEntryType type,
        int mode,
        long uid,
        long gid,
        long mtime,
        long size,
        long nlink,
        long inodeNumber,
        String symlinkTarget,
        int deviceMajor,
        int deviceMinor,
        List<ImageXattr> xattrs,
        long inodeReference) {

    public ImageEntry {
        xattrs = List.copyOf(xattrs);
    }

    /** The last path component; empty for the root. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public boolean isDirectory() {
        return type == ImageEntryType.DIRECTORY;
    }

    public boolean isFile() {
        return type == ImageEntryType.FILE;
    }
}
