package dev.sysext.erofs.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The image's extended attributes, each distinct one (name index, name, value) held once, and the
 * shared xattr area built from them.
 *
 * <p>The rule is mkfs.erofs' (erofs-utils 1.5, option {@code -x}, default 2): an xattr that more
 * than {@code tolerance} inodes carry goes once into the shared area, and those inodes list its id
 * (its offset from the superblock's {@code xattr_blkaddr} in 4-byte units) in their ibody header;
 * every other xattr stays inline. Two deliberate differences: we count inodes, not names (a hard
 * linked inode stores its xattrs once however many names it has, so more names save nothing), and
 * the root counts like any other inode. The shared area is sorted by name and value bytes as
 * mkfs.erofs sorts it, but with a total order (unsigned bytes, shorter first, then the name index),
 * so it never depends on hash order, arrival order of equal keys or the number of threads.
 *
 * <p>Entries' xattrs are interned as they arrive; {@link #count} then counts the inodes that made
 * it into the tree (an entry refused after its xattrs were read counts nothing) and
 * {@link #layout()} decides which xattrs are shared. Before that, {@link #ibodySize} assumes every
 * xattr inline, an upper bound that the writer may use for decisions it takes on arrival (an inline
 * tail that fits then still fits later). Memory grows with the number of distinct xattrs; inodes refer to the shared
 * instances.
 */
final class XattrTable {
    /** mkfs.erofs' default xattr tolerance. */
    static final int DEFAULT_TOLERANCE = 2;
    /** The ibody header keeps the count of shared ids in one byte. */
    private static final int MAX_SHARED_PER_INODE = 255;

    /** One distinct xattr: compared by content, counted by the inodes that carry it. */
    static final class Xattr {
        final int index;
        final byte[] suffix;
        final byte[] value;
        private final int hash;
        /** The inodes of the finished tree that carry it. */
        int count;
        /** The byte offset in the shared area, or -1 while the xattr is stored inline. */
        int sharedOffset = -1;

        Xattr(int index, byte[] suffix, byte[] value) {
            this.index = index;
            this.suffix = suffix;
            this.value = value;
            this.hash = (31 * index + Arrays.hashCode(suffix)) * 31 + Arrays.hashCode(value);
        }

        /** The bytes of its entry: the 4-byte header, name suffix and value, padded to 4. */
        int entrySize() {
            return Format.align4(4 + suffix.length + value.length);
        }

        void put(ByteBuffer b) {
            b.put((byte) suffix.length).put((byte) index).putShort((short) value.length);
            b.put(suffix).put(value);
            b.put(new byte[entrySize() - 4 - suffix.length - value.length]);
        }

        private int byteAt(int i) {
            return (i < suffix.length ? suffix[i] : value[i - suffix.length]) & 0xFF;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Xattr x && x.hash == hash && x.index == index && Arrays.equals(x.suffix, suffix)
                    && Arrays.equals(x.value, value);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** mkfs.erofs orders by the name suffix and value as one byte string; we add tie-breaks. */
    private static final Comparator<Xattr> AREA_ORDER = (a, b) -> {
        int la = a.suffix.length + a.value.length;
        int lb = b.suffix.length + b.value.length;
        for (int i = 0, n = Math.min(la, lb); i < n; i++) {
            int c = Integer.compare(a.byteAt(i), b.byteAt(i));
            if (c != 0) {
                return c;
            }
        }
        return la != lb ? Integer.compare(la, lb) : Integer.compare(a.index, b.index);
    };

    private final int tolerance;
    private final Map<Xattr, Xattr> distinct = new HashMap<>();
    private List<Xattr> shared = List.of();
    private int areaSize;
    private boolean laidOut;

    /**
     * @param tolerance share an xattr that more than this many inodes carry; {@link Integer#MAX_VALUE}
     *     shares none (as {@code mkfs.erofs -x} with INT_MAX does)
     */
    XattrTable(int tolerance) {
        if (tolerance < 0) {
            throw new IllegalArgumentException("xattr tolerance " + tolerance + " is negative");
        }
        this.tolerance = tolerance;
    }

    /**
     * Checks the xattrs of one inode and returns them in the map's order, as the table's instances.
     *
     * @throws IllegalArgumentException naming {@code path} and the xattr when EROFS cannot store it
     */
    List<Xattr> add(String path, Map<String, byte[]> xattrs) {
        if (laidOut) {
            throw new IllegalStateException("the xattr table was laid out already");
        }
        if (xattrs.isEmpty()) {
            return List.of();
        }
        List<Xattr> out = new ArrayList<>(xattrs.size());
        int size = Format.XATTR_HEADER;
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            Format.XattrName x = Format.xattrName(e.getKey());
            if (x.suffix().length > 255 || e.getValue().length > 0xFFFF) {
                throw new IllegalArgumentException("'" + path + "': xattr '" + e.getKey() + "' is too large for EROFS"
                        + " (names up to 255 bytes after the prefix, values up to 65535 bytes)");
            }
            Xattr fresh = new Xattr(x.index(), x.suffix(), e.getValue().clone());
            out.add(fresh);
            size += fresh.entrySize();
        }
        if (size > 0xFFFF * 4) {
            throw new IllegalArgumentException("'" + path + "': the xattrs take " + size + " bytes; EROFS allows 262140");
        }
        for (int i = 0; i < out.size(); i++) {
            out.set(i, distinct.computeIfAbsent(out.get(i), k -> k));
        }
        return Collections.unmodifiableList(out);
    }

    /** Counts one inode of the finished tree (each once, however many names it has). */
    void count(List<Xattr> xattrs) {
        for (Xattr x : xattrs) {
            x.count++;
        }
    }

    /** Decides which xattrs are shared and where each lies in the area; returns the area's size in bytes. */
    int layout() {
        if (laidOut) {
            return areaSize;
        }
        laidOut = true;
        List<Xattr> s = new ArrayList<>();
        for (Xattr x : distinct.values()) {
            if (x.count > tolerance) {
                s.add(x);
            }
        }
        s.sort(AREA_ORDER);
        int offset = 0;
        for (Xattr x : s) {
            x.sharedOffset = offset;
            offset += x.entrySize();
        }
        shared = s;
        areaSize = offset;
        return offset;
    }

    /** The size of an inode's xattr ibody (header, shared ids, inline entries), 0 when it has none. */
    static int ibodySize(List<Xattr> xattrs) {
        if (xattrs.isEmpty()) {
            return 0;
        }
        int size = Format.XATTR_HEADER;
        int sharedIds = 0;
        for (Xattr x : xattrs) {
            if (x.sharedOffset >= 0 && sharedIds < MAX_SHARED_PER_INODE) {
                sharedIds++;
                size += 4;
            } else {
                size += x.entrySize();
            }
        }
        return size;
    }

    /**
     * Writes an inode's ibody of {@link #ibodySize} bytes: the header, the ids of its shared xattrs
     * (the first 255; more stay inline), then its inline entries, each group in the inode's order.
     *
     * @param firstId the id of the area's first byte: its offset in the xattr block, in 4-byte units
     */
    static void putIbody(ByteBuffer b, List<Xattr> xattrs, long firstId) {
        if (xattrs.isEmpty()) {
            return;
        }
        int headerAt = b.position();
        b.putInt(0).put((byte) 0).put(new byte[7]);
        int sharedIds = 0;
        for (Xattr x : xattrs) {
            if (x.sharedOffset >= 0 && sharedIds < MAX_SHARED_PER_INODE) {
                b.putInt((int) (firstId + x.sharedOffset / 4));
                sharedIds++;
            }
        }
        b.put(headerAt + 4, (byte) sharedIds);
        int inlined = 0;
        for (Xattr x : xattrs) {
            if (x.sharedOffset >= 0 && inlined < MAX_SHARED_PER_INODE) {
                inlined++;
            } else {
                x.put(b);
            }
        }
    }

    /** The shared area's bytes, as {@link #layout()} arranged them. */
    ByteBuffer area() {
        ByteBuffer b = Format.le(areaSize);
        for (Xattr x : shared) {
            x.put(b);
        }
        return b.flip();
    }
}
