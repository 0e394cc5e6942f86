package dev.sysext.cli;

import dev.sysext.verify.ImageStatistics;
import java.util.Locale;

/** Byte counts, rates and durations as people read them (binary units, like mksquashfs). */
final class Sizes {
    private Sizes() {
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
    }

    /** {@code 5 files, 80.2 MiB in, 27.9 MiB out}. */
    static String describe(ImageStatistics s) {
        return s.files() + (s.files() == 1 ? " file, " : " files, ") + bytes(s.fileBytes()) + " in, "
                + bytes(s.imageBytes()) + " out";
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
