package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.SquashfsFormatException;
import java.io.IOException;

/** The uids and gids of an image; inodes refer to them by index. Read whole: at most 65,536 entries. */
final class IdTable {
    private final long[] ids;

    public IdTable(LookupTable table) throws IOException {
        ids = new long[(int) table.count()];
        MetadataCursor c = null;
        for (int i = 0; i < ids.length; i++) {
            if (i % 2048 == 0) {
                c = table.entry(i);
            }
            ids[i] = c.u32();
        }
    }

    public int count() {
        return ids.length;
    }

    public long id(int index, String what) throws SquashfsFormatException {
        if (index < 0 || index >= ids.length) {
            throw new SquashfsFormatException(what + ": id index " + index + " is outside the id table (" + ids.length
                    + " entries)");
        }
        return ids[index];
    }
}
