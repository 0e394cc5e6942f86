package dev.sysext.squashfs.read;

import dev.sysext.squashfs.format.InodeType;

/** One entry of a directory listing: its name bytes, the inode it points at, and the type the listing claims. */
public record DirectoryEntry(byte[] name, long inodeRef, long inodeNumber, InodeType type) {
}
