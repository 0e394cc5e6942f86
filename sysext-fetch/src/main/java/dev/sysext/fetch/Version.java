package dev.sysext.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version such as {@code 2.2.0}, {@code 1.7.29} or {@code 2.2.0-rc.1}. Ordered as users
 * expect: numerically per component ({@code 2.2.10 > 2.2.9}, missing components count as 0), and a
 * pre-release before its release ({@code 2.2.0-rc.1 < 2.2.0}); pre-release identifiers compare
 * numerically when both are numbers, else as text, numbers first ({@code rc.2 < rc.10}).
 * Build metadata after {@code +} is kept in the text but ignored for ordering.
 *
 * @param text the version as written, without a leading {@code v}
 * @param numbers the numeric components ({@code [2, 2, 0]})
 * @param preRelease the pre-release identifiers ({@code [rc, 1]}), empty for a release
 */
public record Version(String text, List<Long> numbers, List<String> preRelease) implements Comparable<Version> {
    private static final Pattern SYNTAX = Pattern.compile(
            "(\\d{1,18}(?:\\.\\d{1,18})*)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");

    /** Copies the lists. */
    public Version {
        Objects.requireNonNull(text);
        numbers = List.copyOf(numbers);
        preRelease = List.copyOf(preRelease);
    }

    /**
     * Parses {@code 2.2.0}, {@code v2.2.0-rc.1} (a leading {@code v} is stripped) and the like.
     *
     * @throws IllegalArgumentException naming the text when it is not a version
     */
    public static Version parse(String s) {
        return tryParse(s).orElseThrow(() -> new IllegalArgumentException("'" + s + "' is not a version"));
    }

    /** Like {@link #parse} but empty for text that is not a version. */
    public static Optional<Version> tryParse(String s) {
        String t = s.startsWith("v") || s.startsWith("V") ? s.substring(1) : s;
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Long> nums = new ArrayList<>();
        for (String part : m.group(1).split("\\.")) {
            nums.add(Long.parseLong(part));
        }
        List<String> pre = m.group(2) == null ? List.of() : List.of(m.group(2).split("\\."));
        if (pre.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new Version(t, nums, pre));
    }

    /** Whether this is a pre-release ({@code -rc.1}, {@code -beta.0}, ...). */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** The first component. */
    public long major() {
        return component(0);
    }

    /** The second component, 0 when absent. */
    public long minor() {
        return component(1);
    }

    /** The third component, 0 when absent. */
    public long patch() {
        return component(2);
    }

    /** The minor line this version belongs to, e.g. {@code 2.2} for {@code 2.2.10}. */
    public String minorLine() {
        return major() + "." + minor();
    }

    private long component(int i) {
        return i < numbers.size() ? numbers.get(i) : 0;
    }

    @Override
    public int compareTo(Version o) {
        int n = Math.max(numbers.size(), o.numbers.size());
        for (int i = 0; i < n; i++) {
            int c = Long.compare(component(i), o.component(i));
            if (c != 0) {
                return c;
            }
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            int c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The version as written, without a leading {@code v}. */
    @Override
    public String toString() {
        return text;
    }
}
