package dev.sysext.squashfs.internal.format;

/** Sizes and bit fields of the on-disk format that both the writer and the reader use. */
public final class Layout {
    /** Payload of one metadata block. */
    public static final int METADATA_BLOCK_SIZE = 8192;
    /** Metadata block header bit: payload stored uncompressed. */
    public static final int METADATA_UNCOMPRESSED = 0x8000;
    /** Data block and fragment size word bit: stored uncompressed. */
    public static final int DATA_UNCOMPRESSED = 1 << 24;
    /** Mask of the on-disk size in a data block size word. */
    public static final int DATA_SIZE_MASK = DATA_UNCOMPRESSED - 1;
    /** Images are padded to a multiple of this for loop devices. */
    public static final int DEVICE_BLOCK = 4096;
    /** Fragment table entries: u64 start, u32 size, u32 unused. */
    public static final int FRAGMENT_ENTRY_SIZE = 16;
    /** Directory headers hold at most this many entries. */
    public static final int DIRECTORY_HEADER_MAX_ENTRIES = 256;
    /** Longest name a directory entry stores. */
    public static final int MAX_NAME_LENGTH = 256;
    /** "No xattrs" in an inode's xattr index. */
    public static final int NO_XATTR = 0xFFFFFFFF;
    /** Id table: at most this many distinct uids and gids. */
    public static final int MAX_IDS = 65536;
    /** Xattr key prefix ids; {@link #XATTR_VALUE_OUT_OF_LINE} is or-ed into the type for out-of-line values. */
    public static final int XATTR_USER = 0;
    public static final int XATTR_TRUSTED = 1;
    public static final int XATTR_SECURITY = 2;
    public static final int XATTR_VALUE_OUT_OF_LINE = 0x0100;

    private Layout() {
    }

    /** A metadata reference: block start relative to its table, and offset in the block's payload. */
    public static long metadataRef(long blockStart, int offset) {
        return blockStart << 16 | offset;
    }

    public static long refBlock(long ref) {
        return ref >>> 16;
    }

    public static int refOffset(long ref) {
        return (int) (ref & 0xFFFF);
    }
}
