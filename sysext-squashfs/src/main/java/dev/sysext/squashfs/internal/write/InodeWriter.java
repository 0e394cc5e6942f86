package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.WriterOptions;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Encodes inodes into the inode table, choosing the basic or extended form as mksquashfs does, and
 * registers their owners in the id table and their xattrs in the xattr table.
 */
final class InodeWriter {
    private static final long U32 = 0xFFFFFFFFL;

    private final MetadataPipeline.Table table;
    private final MetadataPipeline.Table directories;
    private final IdTable ids;
    private final XattrTable xattrs;
    private final WriterOptions options;

    /** @param xattrs null when xattrs are not stored */
    InodeWriter(MetadataPipeline.Table table, MetadataPipeline.Table directories, IdTable ids, XattrTable xattrs,
            WriterOptions options) {
        this.table = table;
        this.directories = directories;
        this.ids = ids;
        this.xattrs = xattrs;
        this.options = options;
    }

    /** Writes a non-directory inode and returns its position in the inode table. */
    long write(Node n) throws IOException {
        int xattr = xattrId(n.xattrs);
        boolean ext = xattr != Layout.NO_XATTR;
        ByteBuffer b;
        switch (n.type) {
            case FILE -> {
                FileData d = n.data;
                boolean extFile = ext || d.blocksStart > U32 || d.size > U32 || n.names > 1 || d.sparseBytes > 0;
                b = allocate(56 + 4 * d.blockCount);
                header(b, extFile ? InodeType.FILE.extendedCode() : InodeType.FILE.basicCode(), n);
                if (extFile) {
                    b.putLong(d.blocksStart).putLong(d.size).putLong(d.sparseBytes).putInt(n.names)
                            .putInt(d.fragmentIndex).putInt(d.fragmentOffset).putInt(xattr);
                } else {
                    b.putInt((int) d.blocksStart).putInt(d.fragmentIndex).putInt(d.fragmentOffset).putInt((int) d.size);
                }
                for (int i = 0; i < d.blockCount; i++) {
                    b.putInt(d.blockSizes[i]);
                }
            }
            case SYMLINK -> {
                b = allocate(28 + n.symlinkTarget.length);
                header(b, code(InodeType.SYMLINK, ext), n);
                b.putInt(n.names).putInt(n.symlinkTarget.length).put(n.symlinkTarget);
                if (ext) {
                    b.putInt(xattr);
                }
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                b = allocate(28);
                header(b, code(n.type, ext), n);
                b.putInt(n.names).putInt(n.rdev);
                if (ext) {
                    b.putInt(xattr);
                }
            }
            case FIFO, SOCKET -> {
                b = allocate(24);
                header(b, code(n.type, ext), n);
                b.putInt(n.names);
                if (ext) {
                    b.putInt(xattr);
                }
            }
            default -> throw new IllegalStateException(n.type.toString());
        }
        return emit(b);
    }

    /** Writes a directory inode for a written listing and returns its position in the inode table. */
    long writeDirectory(Node n, DirectoryWriter.Listing listing, int parentInode) throws IOException {
        int xattr = xattrId(n.xattrs);
        int nlink = 2 + n.subdirectoryCount();
        long fileSize = listing.size() + 3;
        // As mksquashfs: extended for more than 256 entries even without an index. The listing's
        // block start is not known yet; the bound decides whether it may need more than 32 bits.
        boolean ext = xattr != Layout.NO_XATTR || !listing.index().isEmpty() || fileSize > 0xFFFF
                || largestBlockStart(listing.position()) > U32 || n.children.size() > Layout.DIRECTORY_HEADER_MAX_ENTRIES;
        int indexBytes = 0;
        for (DirectoryWriter.IndexEntry e : listing.index()) {
            indexBytes += 12 + e.name().length;
        }
        ByteBuffer b = allocate(40 + indexBytes);
        header(b, code(InodeType.DIRECTORY, ext), n);
        long at = table.position();
        // Block starts in the directory table are filled in once its blocks before them are compressed.
        if (ext) {
            table.blockStartAt(at + b.position() + 8, directories, listing.position());
            b.putInt(nlink).putInt((int) fileSize).putInt(0).putInt(parentInode)
                    .putShort((short) listing.index().size()).putShort((short) listing.offset()).putInt(xattr);
            for (DirectoryWriter.IndexEntry e : listing.index()) {
                table.blockStartAt(at + b.position() + 4, directories, e.headerPosition());
                b.putInt(e.offset()).putInt(0).putInt(e.name().length - 1).put(e.name());
            }
        } else {
            table.blockStartAt(at + b.position(), directories, listing.position());
            b.putInt(0).putInt(nlink).putShort((short) fileSize)
                    .putShort((short) listing.offset()).putInt(parentInode);
        }
        return emit(b);
    }

    /** At most the compressed start of the block holding {@code position}: blocks never grow by more than their header. */
    private static long largestBlockStart(long position) {
        return position / Layout.METADATA_BLOCK_SIZE * (Layout.METADATA_BLOCK_SIZE + 2L);
    }

    private long emit(ByteBuffer b) throws IOException {
        long position = table.position();
        table.write(b.array(), 0, b.position());
        return position;
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int code(InodeType type, boolean extended) {
        return extended ? type.extendedCode() : type.basicCode();
    }

    private void header(ByteBuffer b, int typeCode, Node n) {
        long uid = options.allRoot() ? 0 : n.uid();
        long gid = options.allRoot() ? 0 : n.gid();
        long mtime = options.fixedInodeTime().orElse(n.mtime());
        b.putShort((short) typeCode).putShort(n.permissions)
                .putShort((short) ids.indexOf(uid)).putShort((short) ids.indexOf(gid))
                .putInt((int) mtime).putInt(n.inodeNumber);
    }

    private int xattrId(Map<String, byte[]> x) throws IOException {
        if (xattrs == null || x.isEmpty()) {
            return Layout.NO_XATTR;
        }
        return xattrs.add(x);
    }
}
