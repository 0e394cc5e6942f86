package dev.sysext.squashfs;

import java.util.List;

/**
 * One entry of a SquashFS image, as the directory tree presents it. Hard links appear once per
 * path, with the same {@code inodeNumber}.
 *
 * @param path the path relative to the image root, {@code /}-separated, without a leading slash;
 *     the root itself is the empty string. Names are decoded as UTF-8.
 * @param type the kind of entry
 * @param mode permission bits including setuid, setgid and sticky ({@code 07777})
 * @param uid owner user id
 * @param gid owner group id
 * @param mtime modification time, seconds since the epoch
 * @param size file size for files; the target length for symlinks; the stored listing size for
 *     directories (as {@code unsquashfs -lln} shows it); 0 otherwise
 * @param nlink link count
 * @param inodeNumber the inode number, 1..inode count
 * @param symlinkTarget the target of a symlink, otherwise null
 * @param deviceMajor major device number of a block or character device, otherwise 0
 * @param deviceMinor minor device number of a block or character device, otherwise 0
 * @param xattrs extended attributes in stored order (empty when none, or when read without them)
 * @param inodeReference where the inode lies in the inode table (block offset {@code << 16 | offset});
 *     lets {@link SquashfsImage#open(ImageEntry)} find the content again
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
