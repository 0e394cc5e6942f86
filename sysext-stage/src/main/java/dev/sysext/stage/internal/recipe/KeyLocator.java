package dev.sysext.stage.internal.recipe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of each key of a TOML document. Jackson's TOML parser builds a tree and keeps no
 * locations past syntax errors, so this reads the text once more, just far enough to know which
 * table each line belongs to: headers ({@code [a.b]}, {@code [[a]]}), {@code key = value} lines,
 * inline tables and arrays of inline tables. Paths are written as messages show them:
 * {@code inputs[1].verify[0].url}. A key it cannot place gets its nearest located ancestor's line.
 */
public final class KeyLocator {
    private final Map<String, Integer> lines = new HashMap<>();

    /** Locates the keys of {@code text}. */
    public KeyLocator(String text) {
        Map<String, Integer> arrays = new HashMap<>();
        String table = "";
        String openArray = null; // key of a multi-line array of inline tables being read
        int element = -1;
        int depth = 0;
        List<String> all = text.lines().toList();
        boolean inMultiLineString = false;
        for (int n = 0; n < all.size(); n++) {
            int lineNo = n + 1;
            String line = all.get(n);
            if (inMultiLineString) {
                if (line.contains("\"\"\"") || line.contains("'''")) {
                    inMultiLineString = false;
                }
                continue;
            }
            String code = withoutComment(line).strip();
            if (code.isEmpty()) {
                continue;
            }
            if (openArray != null) {
                String masked = masked(code);
                for (int i = 0; i < masked.length(); i++) {
                    char c = masked.charAt(i);
                    if (c == '{') {
                        element++;
                        lines.putIfAbsent(openArray + "[" + element + "]", lineNo);
                        recordInline(openArray + "[" + element + "]", code.substring(i), lineNo);
                    } else if (c == '[') {
                        depth++;
                    } else if (c == ']') {
                        depth--;
                    }
                }
                if (depth <= 0) {
                    openArray = null;
                }
                continue;
            }
            if (code.startsWith("[[")) {
                String header = code.substring(2, Math.max(2, code.indexOf("]]"))).strip();
                String parent = resolve(parentOf(header), arrays);
                String key = join(parent, unquote(lastOf(header)));
                int index = arrays.merge(key, 1, Integer::sum) - 1;
                table = key + "[" + index + "]";
                lines.putIfAbsent(key, lineNo);
                lines.put(table, lineNo);
            } else if (code.startsWith("[")) {
                String header = code.substring(1, Math.max(1, code.indexOf(']'))).strip();
                table = resolve(header, arrays);
                lines.putIfAbsent(table, lineNo);
            } else {
                int eq = code.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = join(table, dotted(code.substring(0, eq).strip()));
                lines.putIfAbsent(key, lineNo);
                String value = code.substring(eq + 1).strip();
                if (value.startsWith("\"\"\"") || value.startsWith("'''")) {
                    String rest = value.substring(3);
                    inMultiLineString = !(rest.contains("\"\"\"") || rest.contains("'''"));
                } else if (value.startsWith("{")) {
                    recordInline(key, value, lineNo);
                } else if (value.startsWith("[")) {
                    int d = 0;
                    int el = -1;
                    String masked = masked(value);
                    for (int i = 0; i < masked.length(); i++) {
                        char c = masked.charAt(i);
                        if (c == '[') {
                            d++;
                        } else if (c == ']') {
                            d--;
                        } else if (c == '{' && d == 1) {
                            el++;
                            lines.putIfAbsent(key + "[" + el + "]", lineNo);
                            recordInline(key + "[" + el + "]", value.substring(i), lineNo);
                        }
                    }
                    if (d > 0) {
                        openArray = key;
                        element = el;
                        depth = d;
                    }
                }
            }
        }
    }

    /** The line of {@code path}, or of its nearest located ancestor; 0 when none is located. */
    public int line(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }

    /** The keys of the inline table at the start of {@code text} (nested ones too), all on {@code line}. */
    private void recordInline(String base, String text, int line) {
        List<String> stack = new ArrayList<>();
        stack.add(base);
        StringBuilder token = new StringBuilder();
        boolean inString = false;
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == quote) {
                    inString = false;
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                inString = true;
                quote = c;
            } else if (c == '{') {
                depth++;
                token.setLength(0);
            } else if (c == '}') {
                depth--;
                if (stack.size() > 1) {
                    stack.remove(stack.size() - 1);
                }
                if (depth == 0) {
                    return;
                }
            } else if (c == '=') {
                String key = join(stack.get(stack.size() - 1), dotted(token.toString().strip()));
                lines.putIfAbsent(key, line);
                token.setLength(0);
                String rest = text.substring(i + 1).stripLeading();
                if (rest.startsWith("{")) {
                    stack.add(key);
                }
            } else if (c == ',') {
                token.setLength(0);
            } else {
                token.append(c);
            }
        }
    }

    private static String resolve(String dottedKey, Map<String, Integer> arrays) {
        String out = "";
        for (String part : dottedKey.isEmpty() ? new String[0] : dottedKey.split("\\.")) {
            out = join(out, unquote(part.strip()));
            Integer n = arrays.get(out);
            if (n != null) {
                out = out + "[" + (n - 1) + "]";
            }
        }
        return out;
    }

    private static String parentOf(String header) {
        int dot = header.lastIndexOf('.');
        return dot < 0 ? "" : header.substring(0, dot);
    }

    private static String lastOf(String header) {
        return header.substring(header.lastIndexOf('.') + 1).strip();
    }

    private static String dotted(String key) {
        StringBuilder b = new StringBuilder();
        for (String part : key.split("\\.")) {
            b.append(b.isEmpty() ? "" : ".").append(unquote(part.strip()));
        }
        return b.toString();
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }

    /** {@code s} with the content of its quoted strings replaced, so brackets in strings are not counted. */
    private static String masked(String s) {
        StringBuilder b = new StringBuilder(s);
        boolean inString = false;
        char quote = 0;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (inString) {
                if (c == '\\' && quote == '"' && i + 1 < b.length()) {
                    b.setCharAt(i, '_');
                    b.setCharAt(++i, '_');
                } else if (c == quote) {
                    inString = false;
                } else {
                    b.setCharAt(i, '_');
                }
            } else if (c == '"' || c == '\'') {
                inString = true;
                quote = c;
            }
        }
        return b.toString();
    }

    private static String withoutComment(String line) {
        boolean inString = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    inString = false;
                }
            } else if (c == '"' || c == '\'') {
                inString = true;
                quote = c;
            } else if (c == '#') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
