package dev.sysext.sysupdate.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a tree of maps, lists, strings, booleans and integers as block-style YAML. Multi-line
 * text becomes a literal block scalar; any string that could be read as something else (a number,
 * a boolean, a comment, a flow collection) is double-quoted.
 */
public final class YamlWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/][A-Za-z0-9/_.@+=-]*|[0-9]+(\\.[0-9]+){2,}");
    private static final Set<String> KEYWORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");
    private static final int INDENT = 2;

    private final StringBuilder out = new StringBuilder();

    private YamlWriter() {
    }

    /** The document for a top-level map. */
    public static String write(Map<String, ?> document) {
        YamlWriter w = new YamlWriter();
        w.map(document, 0);
        return w.out.toString();
    }

    private void map(Map<String, ?> map, int indent) {
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!first) {
                pad(indent);
            }
            first = false;
            out.append(scalar(e.getKey())).append(':');
            value(e.getValue(), indent);
        }
    }

    /** Writes a value after "key:" or "- " has been written; nested blocks go one level deeper. */
    private void value(Object v, int indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append(" {}\n");
                return;
            }
            out.append('\n');
            pad(indent + INDENT);
            map(castMap(m), indent + INDENT);
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append(" []\n");
                return;
            }
            out.append('\n');
            for (Object item : list) {
                pad(indent + INDENT);
                out.append('-');
                if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                    out.append(' ');
                    map(castMap(m), indent + 2 * INDENT);
                } else {
                    value(item, indent + INDENT);
                }
            }
        } else if (v instanceof String s && isBlock(s)) {
            out.append(s.endsWith("\n") ? " |\n" : " |-\n");
            for (String line : s.split("\n", -1)) {
                if (!line.isEmpty()) {
                    pad(indent + INDENT);
                    out.append(line);
                }
                out.append('\n');
            }
            // split() leaves one empty piece after the final newline, or none for "|-": drop the extra line.
            out.setLength(out.length() - 1);
            if (!s.endsWith("\n")) {
                out.append('\n');
            }
        } else if (v instanceof String s) {
            out.append(' ').append(scalar(s)).append('\n');
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            out.append(' ').append(v).append('\n');
        } else {
            throw new IllegalArgumentException("cannot write a " + (v == null ? "null" : v.getClass().getName()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }

    /**
     * Literal block style keeps file contents readable; it cannot express trailing blanks, several
     * final newlines, a leading space on the first line or control characters.
     */
    private static boolean isBlock(String s) {
        if (!s.contains("\n") || s.endsWith("\n\n") || s.startsWith(" ") || s.startsWith("\n")) {
            return false;
        }
        for (String line : s.split("\n")) {
            if (line.endsWith(" ") || line.endsWith("\t")) {
                return false;
            }
        }
        return s.chars().allMatch(c -> c == '\n' || c == '\t' || plainPrintable((char) c));
    }

    private static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !KEYWORDS.contains(s.toLowerCase(java.util.Locale.ROOT))) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (!plainPrintable(c)) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /**
     * Characters that stand for themselves in any scalar: not control characters, not a byte order
     * mark, and not one of the Unicode line breaks YAML folds (NEL, LS, PS).
     */
    private static boolean plainPrintable(char c) {
        return (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c != 0x2028 && c != 0x2029 && c != 0xfeff
                && c != 0xfffe && c != 0xffff);
    }

    private void pad(int n) {
        out.append(" ".repeat(n));
    }
}
