package dev.sysext.squashfs.internal.format;

import dev.sysext.squashfs.SquashfsFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 96-byte SquashFS 4.0 superblock, shared by the writer and the reader.
 * Table starts of unused tables are {@link #NO_TABLE}.
 */
public record Superblock(
        long inodeCount,
        long mkfsTime,
        int blockSize,
        long fragmentCount,
        int compressionId,
        int blockLog,
        int flags,
        int idCount,
        long rootInodeRef,
        long bytesUsed,
        long idTableStart,
        long xattrIdTableStart,
        long inodeTableStart,
        long directoryTableStart,
        long fragmentTableStart,
        long exportTableStart) {

    public static final int SIZE = 96;
    public static final int MAGIC = 0x73717368;
    public static final long NO_TABLE = 0xFFFFFFFFFFFFFFFFL;
    public static final int MIN_BLOCK_LOG = 12;
    public static final int MAX_BLOCK_LOG = 20;

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Encodes this superblock, little-endian, into a new 96-byte array. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        b.putInt((int) inodeCount);
        b.putInt((int) mkfsTime);
        b.putInt(blockSize);
        b.putInt((int) fragmentCount);
        b.putShort((short) compressionId);
        b.putShort((short) blockLog);
        b.putShort((short) flags);
        b.putShort((short) idCount);
        b.putShort((short) 4);
        b.putShort((short) 0);
        b.putLong(rootInodeRef);
        b.putLong(bytesUsed);
        b.putLong(idTableStart);
        b.putLong(xattrIdTableStart);
        b.putLong(inodeTableStart);
        b.putLong(directoryTableStart);
        b.putLong(fragmentTableStart);
        b.putLong(exportTableStart);
        return b.array();
    }

    /**
     * Decodes and sanity-checks a superblock. {@code imageSize} bounds every table start.
     *
     * @throws SquashfsFormatException when the bytes are not a SquashFS 4.0 superblock
     */
    public static Superblock decode(byte[] bytes, long imageSize) throws SquashfsFormatException {
        if (bytes.length < SIZE) {
            throw new SquashfsFormatException("superblock: image is " + bytes.length + " bytes, shorter than a superblock");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new SquashfsFormatException(String.format("superblock: bad magic 0x%08x, not a SquashFS image", magic));
        }
        long inodes = Integer.toUnsignedLong(b.getInt());
        long mkfs = Integer.toUnsignedLong(b.getInt());
        int blockSize = b.getInt();
        long fragments = Integer.toUnsignedLong(b.getInt());
        int comp = Short.toUnsignedInt(b.getShort());
        int blockLog = Short.toUnsignedInt(b.getShort());
        int flags = Short.toUnsignedInt(b.getShort());
        int ids = Short.toUnsignedInt(b.getShort());
        int major = Short.toUnsignedInt(b.getShort());
        int minor = Short.toUnsignedInt(b.getShort());
        if (major != 4 || minor != 0) {
            throw new SquashfsFormatException("superblock: version " + major + "." + minor + ", only 4.0 is supported");
        }
        if (blockLog < MIN_BLOCK_LOG || blockLog > MAX_BLOCK_LOG || blockSize != 1 << blockLog) {
            throw new SquashfsFormatException("superblock: block size " + blockSize + " does not match block log " + blockLog
                    + " or is outside 4 KiB..1 MiB");
        }
        Superblock sb = new Superblock(inodes, mkfs, blockSize, fragments, comp, blockLog, flags, ids,
                b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
        if (Long.compareUnsigned(sb.bytesUsed, imageSize) > 0) {
            throw new SquashfsFormatException("superblock: bytes_used " + Long.toUnsignedString(sb.bytesUsed)
                    + " is larger than the image (" + imageSize + " bytes); truncated?");
        }
        checkTable("inode table", sb.inodeTableStart, sb.bytesUsed, false);
        checkTable("directory table", sb.directoryTableStart, sb.bytesUsed, false);
        checkTable("id table", sb.idTableStart, sb.bytesUsed, false);
        checkTable("fragment table", sb.fragmentTableStart, sb.bytesUsed, true);
        checkTable("export table", sb.exportTableStart, sb.bytesUsed, true);
        checkTable("xattr id table", sb.xattrIdTableStart, sb.bytesUsed, true);
        if (sb.inodeTableStart >= sb.directoryTableStart) {
            throw new SquashfsFormatException("superblock: inode table starts at " + sb.inodeTableStart
                    + ", not before the directory table at " + sb.directoryTableStart);
        }
        return sb;
    }

    private static void checkTable(String name, long start, long bytesUsed, boolean optional) throws SquashfsFormatException {
        if (optional && start == NO_TABLE) {
            return;
        }
        if (start < SIZE || start >= bytesUsed) {
            throw new SquashfsFormatException("superblock: " + name + " start " + Long.toUnsignedString(start)
                    + " lies outside the image (" + SIZE + ".." + bytesUsed + ")");
        }
    }
}
