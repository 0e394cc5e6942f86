package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.format.Layout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The distinct uids and gids of an image, indexed in the order the inodes first use them. */
final class IdTable {
    private final Map<Long, Integer> index = new HashMap<>();
    private final List<Long> ids = new ArrayList<>();

    /** The index of {@code id}, added if new. */
    int indexOf(long id) {
        Integer i = index.get(id);
        if (i != null) {
            return i;
        }
        if (ids.size() == Layout.MAX_IDS) {
            throw new IllegalStateException("more than " + Layout.MAX_IDS + " distinct uids and gids; SquashFS cannot store them");
        }
        index.put(id, ids.size());
        ids.add(id);
        return ids.size() - 1;
    }

    int size() {
        return ids.size();
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(ids.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putInt((int) id);
        }
        return b.array();
    }
}
