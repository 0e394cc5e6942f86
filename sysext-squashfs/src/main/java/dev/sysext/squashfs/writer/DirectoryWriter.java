package dev.sysext.squashfs.writer;

import dev.sysext.squashfs.format.Layout;
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

    /** One child as its directory lists it. */
    record Entry(byte[] name, long inodeRef, int inodeNumber, int basicType) {
    }

    /** An index entry: a header's offset in the listing, its block's start, and its first name. */
    record IndexEntry(int offset, long blockStart, byte[] name) {
    }

    /** A written listing: where it starts, its size in bytes, and its index. */
    record Listing(long blockStart, int offset, long size, List<IndexEntry> index) {
    }

    private record Header(long position, int first, int count, long inodeBlock, int base, boolean indexed) {
    }

    private final MetadataWriter table;

    DirectoryWriter(MetadataWriter table) {
        this.table = table;
    }

    Listing write(List<Entry> entries) {
        long start = table.position();
        List<Header> headers = plan(entries, start);
        for (Header h : headers) {
            ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(h.count() - 1).putInt((int) h.inodeBlock()).putInt(h.base());
            table.write(b.array());
            for (int i = h.first(); i < h.first() + h.count(); i++) {
                Entry e = entries.get(i);
                ByteBuffer eb = ByteBuffer.allocate(ENTRY_SIZE + e.name().length).order(ByteOrder.LITTLE_ENDIAN);
                eb.putShort((short) Layout.refOffset(e.inodeRef()))
                        .putShort((short) (e.inodeNumber() - h.base()))
                        .putShort((short) e.basicType())
                        .putShort((short) (e.name().length - 1))
                        .put(e.name());
                table.write(eb.array());
            }
        }
        List<IndexEntry> index = new ArrayList<>();
        for (Header h : headers) {
            if (h.indexed()) {
                index.add(new IndexEntry((int) (h.position() - start), table.blockStart(h.position()),
                        entries.get(h.first()).name()));
            }
        }
        long startRef = table.ref(start);
        return new Listing(Layout.refBlock(startRef), Layout.refOffset(startRef), table.position() - start, index);
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
            long block = Layout.refBlock(e.inodeRef());
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
