package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes directory listings from the directory table. */
final class DirectoryReader {
    private static final int HEADER_SIZE = 12;
    private static final int ENTRY_FIXED_SIZE = 8;

    private final MetadataBlockReader blocks;
    private final TableArea area;
    private final long inodeCount;

    public DirectoryReader(MetadataBlockReader blocks, TableArea area, long inodeCount) {
        this.blocks = blocks;
        this.area = area;
        this.inodeCount = inodeCount;
    }

    /**
     * The entries of {@code dir}, in stored order. Names must be valid path components, strictly
     * increasing in byte order (which also rules out duplicates).
     */
    public List<DirectoryEntry> list(Inode dir, TableArea inodeArea) throws IOException {
        String at = "directory table: listing of inode " + dir.number();
        long remaining = dir.size() - 3;
        List<DirectoryEntry> entries = new ArrayList<>();
        if (remaining == 0) {
            return entries;
        }
        MetadataCursor c = new MetadataCursor(blocks, area, dir.blocksStart(), dir.listingOffset());
        byte[] previous = null;
        while (remaining > 0) {
            if (remaining < HEADER_SIZE) {
                throw new SquashfsFormatException(at + ": " + remaining + " bytes left, too few for a header at " + c.position());
            }
            long count = c.u32() + 1;
            long inodeBlock = c.u32();
            long base = c.u32();
            remaining -= HEADER_SIZE;
            if (count > Layout.DIRECTORY_HEADER_MAX_ENTRIES) {
                throw new SquashfsFormatException(at + ": header claims " + count + " entries (at most 256) at " + c.position());
            }
            if (inodeBlock >= inodeArea.end() - inodeArea.start()) {
                throw new SquashfsFormatException(at + ": header names inode block " + inodeBlock
                        + ", outside the inode table, at " + c.position());
            }
            for (long i = 0; i < count; i++) {
                if (remaining < ENTRY_FIXED_SIZE + 1) {
                    throw new SquashfsFormatException(at + ": listing ends inside an entry at " + c.position());
                }
                int offset = c.u16();
                long number = base + c.s16();
                int typeCode = c.u16();
                int nameSize = c.u16() + 1;
                remaining -= ENTRY_FIXED_SIZE;
                if (nameSize > Layout.MAX_NAME_LENGTH || nameSize > remaining) {
                    throw new SquashfsFormatException(at + ": name of " + nameSize + " bytes does not fit at " + c.position());
                }
                byte[] name = c.bytes(nameSize, Layout.MAX_NAME_LENGTH, at + ": entry name");
                remaining -= nameSize;
                checkName(name, at);
                if (typeCode < 1 || typeCode > InodeType.EXTENDED_OFFSET) {
                    throw new SquashfsFormatException(at + ": entry '" + printable(name) + "' has type " + typeCode + ", not 1..7");
                }
                if (number < 1 || number > inodeCount) {
                    throw new SquashfsFormatException(at + ": entry '" + printable(name) + "' has inode number " + number
                            + ", outside 1.." + inodeCount);
                }
                if (offset >= Layout.METADATA_BLOCK_SIZE) {
                    throw new SquashfsFormatException(at + ": entry '" + printable(name) + "' has inode offset " + offset);
                }
                if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                    throw new SquashfsFormatException(at + ": entry '" + printable(name) + "' is not sorted after '"
                            + printable(previous) + "' (duplicate or out of order)");
                }
                previous = name;
                entries.add(new DirectoryEntry(name, Layout.metadataRef(inodeBlock, offset), number,
                        InodeType.fromCode(typeCode)));
            }
        }
        return entries;
    }

    private static void checkName(byte[] name, String at) throws SquashfsFormatException {
        boolean dots = name.length <= 2 && name[0] == '.' && (name.length == 1 || name[1] == '.');
        if (dots) {
            throw new SquashfsFormatException(at + ": entry named '" + printable(name) + "' is not allowed");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw new SquashfsFormatException(at + ": entry name '" + printable(name) + "' contains '/' or NUL");
            }
        }
    }

    /** A name for messages: UTF-8 with control characters escaped. */
    static String printable(byte[] name) {
        String s = new String(name, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
