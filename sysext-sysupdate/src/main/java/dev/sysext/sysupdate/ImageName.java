package dev.sysext.sysupdate;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code NAME-VERSION-ARCH.raw} file name of a released image, the name systemd-sysupdate's
 * {@code MatchPattern=NAME-@v-%a.raw} matches.
 */
public record ImageName(String name, String version, String architecture) {
    private static final Pattern FILE = Pattern.compile("(.+?)-([0-9][^/]*)-(x86-64|arm64)\\.raw");

    /** Parses a file name; empty when it is not of the released form. */
    public static Optional<ImageName> parse(String fileName) {
        Matcher m = FILE.matcher(fileName);
        return m.matches() ? Optional.of(new ImageName(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** The file name, {@code NAME-VERSION-ARCH.raw}. */
    public String fileName() {
        return name + "-" + version + "-" + architecture + ".raw";
    }
}
