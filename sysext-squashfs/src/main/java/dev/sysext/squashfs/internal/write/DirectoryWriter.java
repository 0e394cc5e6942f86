package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes directory listings into the directory table. Entries are grouped under headers that share
 * an inode metadata block and a base inode number; a new header starts after 256 entries, when the
 * inode block changes, when the inode number delta would not fit in 16 signed bits, and, as in
 * mksquashfs, when the entry would end more than 8 KiB past the last indexed header: that header
 * gets an index entry, which lets the kernel skip ahead in large directories.
 */
final class DirectoryWriter {
    private static final int HEADER_SIZE = 12;
    private static final int ENTRY_SIZE = 8;

    /** One child as its directory lists it; its inode is at {@code inodePosition} in the inode table. */
    record Entry(byte[] name, long inodePosition, int inodeNumber, int basicType) {
    }

    /** An index entry: a header's offset in the listing, its position in the table, and its first name. */
    record IndexEntry(int offset, long headerPosition, byte[] name) {
    }

    /** A written listing: its position in the directory table, its size in bytes, and its index. */
    record Listing(long position, long size, List<IndexEntry> index) {
        int offset() {
            return (int) (position % Layout.METADATA_BLOCK_SIZE);
        }
    }

    /** {@code inodeBlock} is the index of the inode table's block (8 KiB uncompressed) the entries are in. */
    private record Header(long position, int first, int count, long inodeBlock, int base, boolean indexed) {
    }

    private final MetadataPipeline.Table table;
    private final MetadataPipeline.Table inodes;

    DirectoryWriter(MetadataPipeline.Table table, MetadataPipeline.Table inodes) {
        this.table = table;
        this.inodes = inodes;
    }

    Listing write(List<Entry> entries) throws IOException {
        long start = table.position();
        List<Header> headers = plan(entries, start);
        for (Header h : headers) {
            ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            // The inode block's start is filled in once the inode blocks before it are compressed.
            b.putInt(h.count() - 1).putInt(0).putInt(h.base());
            table.blockStartAt(table.position() + 4, inodes, entries.get(h.first()).inodePosition());
            table.write(b.array(), 0, HEADER_SIZE);
            for (int i = h.first(); i < h.first() + h.count(); i++) {
                Entry e = entries.get(i);
                ByteBuffer eb = ByteBuffer.allocate(ENTRY_SIZE + e.name().length).order(ByteOrder.LITTLE_ENDIAN);
                eb.putShort((short) (e.inodePosition() % Layout.METADATA_BLOCK_SIZE))
                        .putShort((short) (e.inodeNumber() - h.base()))
                        .putShort((short) e.basicType())
                        .putShort((short) (e.name().length - 1))
                        .put(e.name());
                table.write(eb.array(), 0, eb.position());
            }
        }
        List<IndexEntry> index = new ArrayList<>();
        for (Header h : headers) {
            if (h.indexed()) {
                index.add(new IndexEntry((int) (h.position() - start), h.position(), entries.get(h.first()).name()));
            }
        }
        return new Listing(start, table.position() - start, index);
    }

    private static List<Header> plan(List<Entry> entries, long start) {
        List<Header> headers = new ArrayList<>();
        long pos = start;
        long indexPos = start;
        long headerPos = -1;
        int first = 0;
        int count = 0;
        long inodeBlock = -1;
        int base = 0;
        boolean indexed = false;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long block = e.inodePosition() / Layout.METADATA_BLOCK_SIZE;
            long delta = (long) e.inodeNumber() - base;
            boolean pastIndex = count > 0 && pos + ENTRY_SIZE + e.name().length - indexPos > Layout.METADATA_BLOCK_SIZE;
            boolean fresh = count == 0 || count == Layout.DIRECTORY_HEADER_MAX_ENTRIES || block != inodeBlock
                    || delta < Short.MIN_VALUE || delta > Short.MAX_VALUE || pastIndex;
            if (fresh) {
                if (count > 0) {
                    headers.add(new Header(headerPos, first, count, inodeBlock, base, indexed));
                }
                indexed = pastIndex;
                if (pastIndex) {
                    indexPos = pos;
                }
                headerPos = pos;
                first = i;
                count = 0;
                inodeBlock = block;
                base = e.inodeNumber();
                pos += HEADER_SIZE;
            }
            count++;
            pos += ENTRY_SIZE + e.name().length;
        }
        if (count > 0) {
            headers.add(new Header(headerPos, first, count, inodeBlock, base, indexed));
        }
        return headers;
    }
}
