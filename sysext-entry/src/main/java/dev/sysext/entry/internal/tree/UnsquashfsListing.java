package dev.sysext.entry.internal.tree;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Formats entries the way {@code unsquashfs -lln} (squashfs-tools 4.5) prints them, so listings
 * can be compared line for line: mode string, numeric {@code uid/gid}, size (or device numbers)
 * right-aligned so that owner and size together take 25 columns, local time, path. The entries may
 * come from any image format; only their fields are printed.
 */
public final class UnsquashfsListing {
    private static final int OWNER_AND_SIZE_COLUMNS = 25;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final String rootName;
    private final ZoneId zone;

    public UnsquashfsListing(String rootName, ZoneId zone) {
        this.rootName = rootName;
        this.zone = zone;
    }

    public String line(ImageEntry e) {
        StringBuilder b = new StringBuilder(96);
        b.append(modeString(e.type(), e.mode())).append(' ');
        String uid = Long.toString(e.uid());
        String gid = Long.toString(e.gid());
        b.append(uid).append('/').append(gid).append(' ');
        int pad = OWNER_AND_SIZE_COLUMNS - uid.length() - gid.length();
        if (e.type() == ImageEntryType.BLOCK_DEVICE || e.type() == ImageEntryType.CHAR_DEVICE) {
            // unsquashfs splits the on-disk device word at bit 8, whatever the real major/minor split.
            int rdev = (e.deviceMinor() & 0xFF) | e.deviceMajor() << 8 | (e.deviceMinor() & ~0xFF) << 12;
            b.append(" ".repeat(Math.max(0, pad - 7)));
            b.append(String.format("%3d,%3d", rdev >> 8, rdev & 0xFF));
        } else {
            String size = Long.toString(e.size());
            b.append(" ".repeat(Math.max(0, pad - size.length()))).append(size);
        }
        b.append(' ').append(TIME.format(Instant.ofEpochSecond(e.mtime()).atZone(zone))).append(' ');
        b.append(rootName);
        if (!e.path().isEmpty()) {
            b.append('/').append(e.path());
        }
        if (e.type() == ImageEntryType.SYMLINK) {
            b.append(" -> ").append(e.symlinkTarget());
        }
        return b.toString();
    }

    /** {@code ls -l} style mode string, with s/S and t/T for setuid, setgid and sticky. */
    public static String modeString(ImageEntryType type, int mode) {
        char[] c = new char[10];
        c[0] = type.lsChar();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[i + 1] = (mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-';
        }
        special(c, 3, (mode & 04000) != 0, 's');
        special(c, 6, (mode & 02000) != 0, 's');
        special(c, 9, (mode & 01000) != 0, 't');
        return new String(c);
    }

    private static void special(char[] c, int i, boolean set, char letter) {
        if (set) {
            c[i] = c[i] == '-' ? Character.toUpperCase(letter) : letter;
        }
    }
}
