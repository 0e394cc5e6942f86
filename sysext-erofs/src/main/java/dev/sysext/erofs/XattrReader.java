package dev.sysext.erofs;

import dev.sysext.entry.ImageXattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The extended attributes of an inode, as the kernel's fs/erofs/xattr.c lists them: first the shared
 * ones (ids into the shared xattr area at the superblock's xattr_blkaddr, 4-byte units), then the
 * inline ones after the 12-byte ibody header that follows the inode. Each entry is a name length, a
 * name index (the namespace prefix), a value size, the name suffix and the value, padded to 4 bytes.
 */
final class XattrReader {
    private static final int HEADER = 12;
    private static final int ENTRY = 4;
    private static final int LONG_PREFIX = 0x80;

    private final ImageChannel image;
    private final long sharedBase;

    /** @param sharedBlock the superblock's xattr_blkaddr */
    XattrReader(ImageChannel image, long sharedBlock) {
        this.image = image;
        this.sharedBase = sharedBlock * ImageChannel.BLOCK;
    }

    /** The inode's xattrs, shared ones first; names with a namespace the kernel does not know are left out as it does. */
    List<ImageXattr> read(ErofsImage.Inode n) throws IOException {
        if (n.xattrSize() == 0) {
            return List.of();
        }
        long at = n.position() + n.inodeSize();
        String where = "xattrs of inode " + n.nid() + " at " + at;
        if (n.xattrSize() < HEADER) {
            throw image.error(where + ": an xattr area of " + n.xattrSize() + " bytes holds no header");
        }
        ByteBuffer area = image.readAt(at, n.xattrSize(), "xattrs of inode " + n.nid());
        int shared = area.get(4) & 0xFF;
        if (HEADER + shared * 4 > n.xattrSize()) {
            throw image.error(where + ": " + shared + " shared xattr ids do not fit the area of " + n.xattrSize()
                    + " bytes");
        }
        List<ImageXattr> out = new ArrayList<>();
        for (int i = 0; i < shared; i++) {
            long id = Integer.toUnsignedLong(area.getInt(HEADER + i * 4));
            long pos = sharedBase + id * 4;
            String what = "shared xattr " + id + " of inode " + n.nid();
            ByteBuffer head = image.readAt(pos, ENTRY, what);
            int nameLen = head.get(0) & 0xFF;
            int valueSize = head.getShort(2) & 0xFFFF;
            ByteBuffer body = image.readAt(pos + ENTRY, nameLen + valueSize, what);
            add(out, head.get(1) & 0xFF, body, 0, nameLen, valueSize, what + " at " + pos);
        }
        int p = HEADER + shared * 4;
        while (p < n.xattrSize()) {
            if (p + ENTRY > n.xattrSize()) {
                throw image.error(where + ": an entry at " + (at + p) + " is cut off by the area's end");
            }
            int nameLen = area.get(p) & 0xFF;
            int valueSize = area.getShort(p + 2) & 0xFFFF;
            int len = ENTRY + nameLen + valueSize;
            if (p + len > n.xattrSize()) {
                throw image.error(where + ": the entry at " + (at + p) + " (" + len + " bytes) runs past the area's end at "
                        + (at + n.xattrSize()));
            }
            add(out, area.get(p + 1) & 0xFF, area, p + ENTRY, nameLen, valueSize, where + ", entry at " + (at + p));
            p += (len + 3) & ~3;
        }
        return out;
    }

    private void add(List<ImageXattr> out, int index, ByteBuffer b, int off, int nameLen, int valueSize, String where)
            throws ErofsFormatException {
        if ((index & LONG_PREFIX) != 0) {
            throw image.error(where + ": long xattr name prefixes (index 0x" + Integer.toHexString(index)
                    + ", mkfs.erofs --xattr-prefix) are not read");
        }
        String prefix = switch (index) {
            case 1 -> "user.";
            case 2 -> "system.posix_acl_access";
            case 3 -> "system.posix_acl_default";
            case 4 -> "trusted.";
            case 6 -> "security.";
            default -> null; // 0, 5 (lustre) and unassigned ones: the kernel lists no name for them either
        };
        if (prefix == null) {
            return;
        }
        byte[] suffix = new byte[nameLen];
        b.get(off, suffix);
        byte[] value = new byte[valueSize];
        b.get(off + nameLen, value);
        String name = prefix + new String(suffix, StandardCharsets.UTF_8);
        if (name.indexOf('\0') >= 0) {
            throw image.error(where + ": the xattr name '" + name.replace('\0', '?') + "' holds a NUL byte");
        }
        out.add(new ImageXattr(name, value));
    }
}
