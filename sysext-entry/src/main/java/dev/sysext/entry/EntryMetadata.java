package dev.sysext.entry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata of one image entry: permission bits, owner, modification time and extended
 * attributes.
 *
 * @param permissions the permission bits including setuid (04000), setgid (02000) and sticky
 *     (01000); file type bits are ignored
 * @param uid owner user id
 * @param gid owner group id
 * @param mtime modification time in seconds since the epoch (stored as an unsigned 32-bit value)
 * @param xattrs extended attributes by full name ({@code user.x}, {@code trusted.x},
 *     {@code security.x}); copied, and never {@code null}
 */
public record EntryMetadata(int permissions, long uid, long gid, long mtime, Map<String, byte[]> xattrs) {

    /** Metadata that the writers give directories they create implicitly: 0755 root:root. */
    public static final EntryMetadata DEFAULT_DIRECTORY = new EntryMetadata(0755, 0, 0, 0, Map.of());

    public EntryMetadata {
        permissions &= 07777;
        if (uid < 0 || uid > 0xFFFFFFFFL || gid < 0 || gid > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("uid " + uid + " or gid " + gid + " is outside 0..4294967295");
        }
        if (mtime < 0 || mtime > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("mtime " + mtime + " is outside what SquashFS and EROFS images store (0..4294967295)");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("user.") && !name.startsWith("trusted.") && !name.startsWith("security.")) {
                throw new IllegalArgumentException("xattr '" + name
                        + "': images store only user., trusted. and security. attributes");
            }
            if (name.indexOf('.') == name.length() - 1) {
                throw new IllegalArgumentException("xattr '" + name + "' has an empty name after its prefix");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > 0xFFFF || e.getValue().length > 0xFFFFFF) {
                throw new IllegalArgumentException("xattr '" + name + "' is too large");
            }
            copy.put(name, e.getValue().clone());
        }
        xattrs = Collections.unmodifiableMap(copy);
    }

    /** Metadata without extended attributes. */
    public static EntryMetadata of(int permissions, long uid, long gid, long mtime) {
        return new EntryMetadata(permissions, uid, gid, mtime, Map.of());
    }

    /** A copy with these extended attributes instead. */
    public EntryMetadata withXattrs(Map<String, byte[]> newXattrs) {
        return new EntryMetadata(permissions, uid, gid, mtime, newXattrs);
    }

    /** The value of one extended attribute as a copy, or {@code null}. */
    public byte[] xattr(String name) {
        byte[] v = xattrs.get(name);
        return v == null ? null : v.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EntryMetadata m) || permissions != m.permissions || uid != m.uid || gid != m.gid
                || mtime != m.mtime || !xattrs.keySet().equals(m.xattrs.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            if (!Arrays.equals(e.getValue(), m.xattrs.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(permissions) * 31 + Long.hashCode(uid);
        h = h * 31 + Long.hashCode(gid);
        h = h * 31 + Long.hashCode(mtime);
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            h = h * 31 + e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        return String.format("%04o %d:%d mtime=%d xattrs=%s", permissions, uid, gid, mtime, xattrs.keySet());
    }
}
