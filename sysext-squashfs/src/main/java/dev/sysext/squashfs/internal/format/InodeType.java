package dev.sysext.squashfs.internal.format;

/** Inode type codes: 1..7 basic, 8..14 the extended form of the same kind. */
public enum InodeType {
    DIRECTORY(1),
    FILE(2),
    SYMLINK(3),
    BLOCK_DEVICE(4),
    CHAR_DEVICE(5),
    FIFO(6),
    SOCKET(7);

    /** Distance between a basic type code and its extended form. */
    public static final int EXTENDED_OFFSET = 7;

    private final int basic;

    InodeType(int basic) {
        this.basic = basic;
    }

    /** The basic type code; directory entries always carry this one. */
    public int basicCode() {
        return basic;
    }

    public int extendedCode() {
        return basic + EXTENDED_OFFSET;
    }

    /** The kind of an inode type code, basic or extended. */
    public static InodeType fromCode(int code) {
        if (code < 1 || code > 14) {
            throw new IllegalArgumentException("inode type " + code + " is not in 1..14");
        }
        return values()[(code - 1) % EXTENDED_OFFSET];
    }

    public static boolean isExtended(int code) {
        return code > EXTENDED_OFFSET;
    }
}
