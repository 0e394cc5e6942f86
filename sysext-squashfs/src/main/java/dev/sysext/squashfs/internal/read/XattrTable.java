package dev.sysext.squashfs.internal.read;

import dev.sysext.entry.ImageXattr;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.format.Layout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Xattr sets: the id table gives each set's reference and count into the key/value area. */
final class XattrTable {
    /** Linux limits: XATTR_NAME_MAX and XATTR_SIZE_MAX. */
    private static final int MAX_NAME = 255;
    private static final int MAX_VALUE = 65536;
    private static final String[] PREFIXES = {"user.", "trusted.", "security."};

    private final MetadataBlockReader blocks;
    private final LookupTable ids;
    private final TableArea kvArea;

    private XattrTable(MetadataBlockReader blocks, LookupTable ids, TableArea kvArea) {
        this.blocks = blocks;
        this.ids = ids;
        this.kvArea = kvArea;
    }

    /** Reads the xattr id table header at {@code start}; {@code lowerBound} is where the previous table ends. */
    public static XattrTable open(ImageChannel image, MetadataBlockReader blocks, long start, long lowerBound)
            throws IOException {
        var h = image.readLittleEndian(start, 16, "xattr id table header");
        long kvStart = h.getLong();
        long count = Integer.toUnsignedLong(h.getInt());
        if (kvStart < lowerBound || kvStart >= start) {
            throw new SquashfsFormatException("xattr id table: key/value area start " + Long.toUnsignedString(kvStart)
                    + " lies outside " + lowerBound + ".." + start);
        }
        LookupTable ids = new LookupTable(image, blocks, "xattr id table", start + 16, count, 16, kvStart);
        TableArea kv = new TableArea("xattr table", kvStart, ids.count() == 0 ? start : ids.firstBlock());
        return new XattrTable(blocks, ids, kv);
    }

    public long count() {
        return ids.count();
    }

    /** Where the key/value area starts: the first metadata block after the directory table. */
    public long kvStart() {
        return kvArea.start();
    }

    /** The xattrs of set {@code index}, in stored order. */
    public List<ImageXattr> read(long index, String owner) throws IOException {
        if (index < 0 || index >= ids.count()) {
            throw new SquashfsFormatException(owner + ": xattr index " + index + " is outside the xattr id table ("
                    + ids.count() + " entries)");
        }
        MetadataCursor idc = ids.entry(index);
        long ref = idc.u64();
        long count = idc.u32();
        idc.u32(); // total size: informational
        String at = "xattr table: set " + index + " of " + owner;
        // Each pair takes at least 8 bytes; more pairs than that cannot fit the key/value area.
        if (count == 0 || count > (kvArea.end() - kvArea.start()) / 8 * Layout.METADATA_BLOCK_SIZE) {
            throw new SquashfsFormatException(at + ": " + count + " pairs is impossible");
        }
        MetadataCursor c = MetadataCursor.at(blocks, kvArea, ref);
        List<ImageXattr> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int type = c.u16();
            int nameSize = c.u16();
            int prefix = type & 0xFF;
            if (prefix >= PREFIXES.length || (type & ~(0xFF | Layout.XATTR_VALUE_OUT_OF_LINE)) != 0) {
                throw new SquashfsFormatException(at + ": key type 0x" + Integer.toHexString(type) + " at " + c.position()
                        + " is not user, trusted or security");
            }
            byte[] name = c.bytes(nameSize, MAX_NAME, at + ": key name");
            long valueSize = c.u32();
            byte[] value;
            if ((type & Layout.XATTR_VALUE_OUT_OF_LINE) != 0) {
                if (valueSize != 8) {
                    throw new SquashfsFormatException(at + ": out-of-line value reference of " + valueSize + " bytes, expected 8");
                }
                long valueRef = c.u64();
                MetadataCursor v = MetadataCursor.at(blocks, kvArea, valueRef);
                value = v.bytes(v.u32(), MAX_VALUE, at + ": out-of-line value");
            } else {
                value = c.bytes(valueSize, MAX_VALUE, at + ": value");
            }
            out.add(new ImageXattr(PREFIXES[prefix] + new String(name, StandardCharsets.UTF_8), value));
        }
        return out;
    }
}
