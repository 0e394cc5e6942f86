package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.internal.format.InodeType;

/** One entry of a directory listing: its name bytes, the inode it points at, and the type the listing claims. */
record DirectoryEntry(byte[] name, long inodeRef, long inodeNumber, InodeType type) {
}
