package dev.sysext.sysupdate;

import java.util.Comparator;

/**
 * The order systemd gives versions ({@code strverscmp_improved}, used by systemd-sysupdate and
 * {@code systemd-analyze compare-versions}): digits compare as numbers, {@code ~} sorts before
 * anything, and a longer version is newer, so {@code 2.2.0-rc.1} sorts after {@code 2.2.0}.
 */
public final class VersionOrder implements Comparator<String> {
    /** The single instance. */
    public static final VersionOrder SYSTEMD = new VersionOrder();

    private VersionOrder() {
    }

    private static boolean valid(char c) {
        return digit(c) || alpha(c) || c == '~' || c == '-' || c == '^' || c == '.';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public int compare(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Integer.signum(a.compareTo(b));
        }
        int i = 0;
        int j = 0;
        while (true) {
            while (i < a.length() && !valid(a.charAt(i))) {
                i++;
            }
            while (j < b.length() && !valid(b.charAt(j))) {
                j++;
            }
            // '~' marks a pre-release: older than anything else, including the end of the string.
            int r = prefix(a, i, b, j, '~');
            if (r != 0) {
                return r;
            }
            if (at(a, i) == '~') {
                i++;
                j++;
            }
            if (i >= a.length() || j >= b.length()) {
                // One side has ended: the longer version is newer (strcmp of the rests).
                return Integer.signum(a.substring(i).compareTo(b.substring(j)));
            }
            for (char separator : new char[] {'-', '^', '.'}) {
                r = prefix(a, i, b, j, separator);
                if (r != 0) {
                    return r;
                }
                if (at(a, i) == separator) {
                    i++;
                    j++;
                }
            }
            int ie;
            int je;
            if (digit(at(a, i)) || digit(at(b, j))) {
                ie = i;
                while (digit(at(a, ie))) {
                    ie++;
                }
                je = j;
                while (digit(at(b, je))) {
                    je++;
                }
                // A numeric segment is newer than a missing one.
                r = Boolean.compare(i != ie, j != je);
                if (r != 0) {
                    return r;
                }
                while (at(a, i) == '0') {
                    i++;
                }
                while (at(b, j) == '0') {
                    j++;
                }
                r = Integer.compare(ie - i, je - j);
                if (r != 0) {
                    return r;
                }
                r = Integer.signum(a.substring(i, ie).compareTo(b.substring(j, je)));
                if (r != 0) {
                    return r;
                }
            } else {
                ie = i;
                while (alpha(at(a, ie))) {
                    ie++;
                }
                je = j;
                while (alpha(at(b, je))) {
                    je++;
                }
                int common = Math.min(ie - i, je - j);
                r = Integer.signum(a.substring(i, i + common).compareTo(b.substring(j, j + common)));
                if (r != 0) {
                    return r;
                }
                r = Integer.compare(ie - i, je - j);
                if (r != 0) {
                    return r;
                }
            }
            i = ie;
            j = je;
        }
    }

    /** Compares "has no {@code c} here" of both sides: the side starting with {@code c} is older. */
    private static int prefix(String a, int i, String b, int j, char c) {
        return Boolean.compare(at(a, i) != c, at(b, j) != c);
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }
}
