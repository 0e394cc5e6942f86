package dev.sysext.stage.recipe;

import dev.sysext.fetch.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which versions a static file is for, e.g. {@code ">=2"} or {@code ">=1.7 <2"}: comparisons
 * separated by spaces, all must hold; versions compare as {@link Version}s (missing components are
 * 0, so {@code 2.2.0 >= 2}). The empty range holds every version.
 *
 * @param text the range as written
 */
public record VersionRange(String text) {
    private static final Pattern TERM = Pattern.compile("(>=|<=|!=|>|<|=)(\\S+)");

    /**
     * Checks the syntax.
     *
     * @throws IllegalArgumentException naming the term that is not a comparison with a version
     */
    public VersionRange {
        Objects.requireNonNull(text);
        terms(text);
    }

    /** The range that holds every version. */
    public static VersionRange any() {
        return new VersionRange("");
    }

    /** Whether {@code v} is in the range. */
    public boolean contains(Version v) {
        for (Term t : terms(text)) {
            int c = v.compareTo(t.version);
            boolean ok = switch (t.op) {
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case "!=" -> c != 0;
                default -> c == 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private record Term(String op, Version version) {
    }

    private static List<Term> terms(String text) {
        List<Term> out = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            Matcher m = TERM.matcher(word);
            if (!m.matches() || Version.tryParse(m.group(2)).isEmpty()) {
                throw new IllegalArgumentException("'" + word + "' is not a comparison such as >=2 or <1.7.0");
            }
            out.add(new Term(m.group(1), Version.parse(m.group(2))));
        }
        return out;
    }
}
