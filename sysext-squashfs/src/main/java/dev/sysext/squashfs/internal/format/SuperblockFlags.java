package dev.sysext.squashfs.internal.format;

/** Superblock flag bits. Only {@link #COMPRESSOR_OPTIONS} changes how the kernel reads an image. */
public final class SuperblockFlags {
    public static final int UNCOMPRESSED_INODES = 0x0001;
    public static final int UNCOMPRESSED_DATA = 0x0002;
    public static final int CHECK = 0x0004;
    public static final int UNCOMPRESSED_FRAGMENTS = 0x0008;
    public static final int NO_FRAGMENTS = 0x0010;
    public static final int ALWAYS_FRAGMENTS = 0x0020;
    public static final int DUPLICATES = 0x0040;
    public static final int EXPORTABLE = 0x0080;
    public static final int UNCOMPRESSED_XATTRS = 0x0100;
    public static final int NO_XATTRS = 0x0200;
    public static final int COMPRESSOR_OPTIONS = 0x0400;
    public static final int UNCOMPRESSED_IDS = 0x0800;

    private SuperblockFlags() {
    }
}
