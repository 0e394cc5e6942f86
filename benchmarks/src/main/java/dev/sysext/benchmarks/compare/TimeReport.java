package dev.sysext.benchmarks.compare;

import java.util.List;
import java.util.Locale;

/**
 * What GNU {@code /usr/bin/time -v} reports about one run.
 *
 * @param wallSeconds elapsed wall-clock time
 * @param cpuSeconds user plus system time, all threads
 * @param maxRssKiB peak resident set size in KiB
 */
public record TimeReport(double wallSeconds, double cpuSeconds, long maxRssKiB) {

    private static final String WALL = "Elapsed (wall clock) time (h:mm:ss or m:ss):";
    private static final String USER = "User time (seconds):";
    private static final String SYSTEM = "System time (seconds):";
    private static final String RSS = "Maximum resident set size (kbytes):";

    /** Reads the report from the lines {@code time -v} wrote (other lines, e.g. the tool's own, are ignored). */
    public static TimeReport parse(List<String> lines) {
        Double wall = null;
        Double user = null;
        Double system = null;
        Long rss = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith(WALL)) {
                wall = clock(line.substring(WALL.length()).strip());
            } else if (line.startsWith(USER)) {
                user = number(line.substring(USER.length()), USER);
            } else if (line.startsWith(SYSTEM)) {
                system = number(line.substring(SYSTEM.length()), SYSTEM);
            } else if (line.startsWith(RSS)) {
                rss = (long) number(line.substring(RSS.length()), RSS);
            }
        }
        if (wall == null || user == null || system == null || rss == null) {
            throw new IllegalArgumentException("not a complete 'time -v' report: missing "
                    + (wall == null ? "wall clock time" : user == null ? "user time"
                    : system == null ? "system time" : "maximum resident set size"));
        }
        return new TimeReport(wall, user + system, rss);
    }

    /** Parses {@code h:mm:ss} or {@code m:ss.ss} into seconds. */
    static double clock(String text) {
        String[] parts = text.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("wall clock time '" + text + "' is not h:mm:ss or m:ss");
        }
        double seconds = 0;
        for (String p : parts) {
            seconds = seconds * 60 + number(p, "wall clock time");
        }
        return seconds;
    }

    private static double number(String text, String what) {
        try {
            double v = Double.parseDouble(text.strip());
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s '%s' is not a number", what, text.strip()), e);
        }
    }
}
