package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;

/** Decodes inodes from the inode table, checking each field against the image. */
final class InodeReader {
    /** Longest symlink target accepted; Linux' PATH_MAX is 4096 and mksquashfs stores at most that. */
    public static final int MAX_SYMLINK = 65535;

    private final MetadataBlockReader blocks;
    private final TableArea area;
    private final long inodeCount;
    private final int blockSize;
    private final int blockLog;
    private final long dataEnd;

    public InodeReader(MetadataBlockReader blocks, TableArea area, long inodeCount, int blockSize, int blockLog,
            long dataEnd) {
        this.blocks = blocks;
        this.area = area;
        this.inodeCount = inodeCount;
        this.blockSize = blockSize;
        this.blockLog = blockLog;
        this.dataEnd = dataEnd;
    }

    public TableArea area() {
        return area;
    }

    public Inode read(long ref) throws IOException {
        if (Layout.refOffset(ref) >= Layout.METADATA_BLOCK_SIZE || Layout.refBlock(ref) > 0xFFFFFFFFL) {
            throw new SquashfsFormatException("inode table: reference 0x" + Long.toHexString(ref) + " is malformed");
        }
        MetadataCursor c = MetadataCursor.at(blocks, area, ref);
        String at = "inode table: inode at block " + Layout.refBlock(ref) + " offset " + Layout.refOffset(ref);
        int code = c.u16();
        if (code < 1 || code > 14) {
            throw new SquashfsFormatException(at + " has type " + code + ", not 1..14");
        }
        InodeType type = InodeType.fromCode(code);
        boolean ext = InodeType.isExtended(code);
        int mode = c.u16();
        int uid = c.u16();
        int gid = c.u16();
        long mtime = c.u32();
        long number = c.u32();
        if (number < 1 || number > inodeCount) {
            throw new SquashfsFormatException(at + " has inode number " + number + ", outside 1.." + inodeCount);
        }
        at = "inode table: inode " + number + " (block " + Layout.refBlock(ref) + " offset " + Layout.refOffset(ref) + ")";
        // Some writers store the file type bits too; the kernel ignores them, and so does this reader.
        mode &= 07777;
        long nlink = 1;
        long size = 0;
        long blocksStart = 0;
        int listingOffset = 0;
        long parent = 0;
        long fragment = -1;
        long fragmentOffset = 0;
        long listPos = 0;
        int listOff = 0;
        long blockCount = 0;
        byte[] target = null;
        int rdev = 0;
        long xattr = -1;
        switch (type) {
            case DIRECTORY -> {
                if (!ext) {
                    blocksStart = c.u32();
                    nlink = c.u32();
                    size = c.u16();
                    listingOffset = c.u16();
                    parent = c.u32();
                } else {
                    nlink = c.u32();
                    size = c.u32();
                    blocksStart = c.u32();
                    parent = c.u32();
                    c.u16(); // index count: the reader scans listings linearly and does not need the index
                    listingOffset = c.u16();
                    xattr = xattrIndex(c.u32());
                }
                if (size < 3) {
                    throw new SquashfsFormatException(at + ": directory size " + size + " is below 3");
                }
                if (listingOffset >= Layout.METADATA_BLOCK_SIZE) {
                    throw new SquashfsFormatException(at + ": directory listing offset " + listingOffset + " is past 8 KiB");
                }
                // mksquashfs gives the root inode count + 1 as its parent, gensquashfs 0.
                if (parent > inodeCount + 1) {
                    throw new SquashfsFormatException(at + ": parent inode " + parent + " is outside 0.." + (inodeCount + 1));
                }
            }
            case FILE -> {
                if (!ext) {
                    blocksStart = c.u32();
                    fragment = c.u32();
                    fragmentOffset = c.u32();
                    size = c.u32();
                } else {
                    blocksStart = c.u64();
                    size = c.u64();
                    c.u64(); // sparse bytes: informational
                    nlink = c.u32();
                    fragment = c.u32();
                    fragmentOffset = c.u32();
                    xattr = xattrIndex(c.u32());
                }
                if (size < 0) {
                    throw new SquashfsFormatException(at + ": file size " + Long.toUnsignedString(size) + " is too large");
                }
                if (fragment == 0xFFFFFFFFL) {
                    fragment = -1;
                    fragmentOffset = 0;
                    blockCount = (size + blockSize - 1) >>> blockLog;
                } else {
                    blockCount = size >>> blockLog;
                    long tail = size & (blockSize - 1);
                    if (tail == 0) {
                        throw new SquashfsFormatException(at + ": file of " + size
                                + " bytes names fragment " + fragment + " but has no tail to store there");
                    }
                    if (fragmentOffset + tail > blockSize) {
                        throw new SquashfsFormatException(at + ": tail of " + tail + " bytes at fragment offset "
                                + fragmentOffset + " runs past the " + blockSize + "-byte fragment block");
                    }
                }
                if (blocksStart < 0 || blocksStart > dataEnd) {
                    throw new SquashfsFormatException(at + ": data starts at " + Long.toUnsignedString(blocksStart)
                            + ", past the data area (ends at " + dataEnd + ")");
                }
                listPos = c.blockPosition();
                listOff = c.offset();
            }
            case SYMLINK -> {
                nlink = c.u32();
                size = c.u32();
                if (size == 0) {
                    throw new SquashfsFormatException(at + ": symlink target is empty");
                }
                target = c.bytes(size, MAX_SYMLINK, at + ": symlink target");
                if (ext) {
                    xattr = xattrIndex(c.u32());
                }
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                nlink = c.u32();
                rdev = c.i32();
                if (ext) {
                    xattr = xattrIndex(c.u32());
                }
            }
            case FIFO, SOCKET -> {
                nlink = c.u32();
                if (ext) {
                    xattr = xattrIndex(c.u32());
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        return new Inode(ref, type, ext, mode, uid, gid, mtime, number, nlink, size, blocksStart, listingOffset, parent,
                fragment, fragmentOffset, listPos, listOff, blockCount, target, rdev, xattr);
    }

    private static long xattrIndex(long raw) {
        return raw == 0xFFFFFFFFL ? -1 : raw;
    }
}
