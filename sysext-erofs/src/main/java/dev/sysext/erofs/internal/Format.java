package dev.sysext.erofs.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * On-disk constants and encoders of the EROFS format as the Linux kernel reads it
 * ({@code fs/erofs/erofs_fs.h}). Everything is little-endian; blocks are 4096 bytes.
 */
final class Format {
    static final int BLOCK_BITS = 12;
    static final int BLOCK = 1 << BLOCK_BITS;
    static final int SUPER_OFFSET = 1024;
    static final int MAGIC = 0xE0F5E1E2;
    static final int COMPAT_SB_CHKSUM = 0x1;

    static final int COMPACT_INODE = 32;
    static final int EXTENDED_INODE = 64;
    /** Inodes are addressed by nid, the offset from the metadata area's start in 32-byte slots. */
    static final int NID_SLOT = 32;

    static final int LAYOUT_FLAT_PLAIN = 0;
    static final int LAYOUT_FLAT_INLINE = 2;

    static final int LAYOUT_COMPRESSED_FULL = 1;

    static final int INCOMPAT_ZERO_PADDING = 0x1;
    /** Big physical clusters; the same bit says the superblock is followed by compressor configurations. */
    static final int INCOMPAT_BIG_PCLUSTER = 0x2;
    /** z_erofs_map_header plus the 8 bytes the legacy (full) index layout leaves before the indexes. */
    static final int MAP_HEADER = 16;
    static final int ADVISE_BIG_PCLUSTER_1 = 0x2;
    static final int ADVISE_INLINE_PCLUSTER = 0x8;
    static final int INCOMPAT_ZTAILPACKING = 0x10;
    static final int LCLUSTER_PLAIN = 0;
    static final int LCLUSTER_HEAD1 = 1;
    static final int LCLUSTER_NONHEAD = 2;
    static final int D0_CBLKCNT = 1 << 11;

    static final int DIRENT = 12;
    static final int NAME_MAX = 255;
    static final int XATTR_HEADER = 12;

    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;

    private Format() {
    }

    /** The dirent file type (the kernel's FT_* numbering). */
    static int fileType(int type) {
        return switch (type) {
            case S_IFREG -> 1;
            case S_IFDIR -> 2;
            case S_IFCHR -> 3;
            case S_IFBLK -> 4;
            case S_IFIFO -> 5;
            case S_IFSOCK -> 6;
            case S_IFLNK -> 7;
            default -> 0;
        };
    }

    /** The kernel's new_encode_dev, which erofs_fill_inode decodes with new_decode_dev. */
    static int encodeDevice(int major, int minor) {
        return (minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & ~0xFF) << 12);
    }

    /** An xattr name as EROFS stores it: a prefix index and the rest of the name. */
    record XattrName(int index, byte[] suffix) {
    }

    /** Name index and suffix of an xattr name; the kernel's short prefixes. */
    static XattrName xattrName(String name) {
        String[] prefixes = {"user.", "trusted.", "security."};
        int[] indexes = {1, 4, 6};
        for (int i = 0; i < prefixes.length; i++) {
            if (name.startsWith(prefixes[i])) {
                return new XattrName(indexes[i], name.substring(prefixes[i].length()).getBytes(StandardCharsets.UTF_8));
            }
        }
        if (name.equals("system.posix_acl_access")) {
            return new XattrName(2, new byte[0]);
        }
        if (name.equals("system.posix_acl_default")) {
            return new XattrName(3, new byte[0]);
        }
        throw new IllegalArgumentException("xattr '" + name + "': EROFS has no name prefix for it");
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
