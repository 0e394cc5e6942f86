package dev.sysext.stage.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A text with {@code {variable}} placeholders, such as a URL template
 * {@code https://github.com/containerd/containerd/releases/download/{tag}/containerd-static-{version}-linux-{arch}.tar.gz}.
 * {@code {{} and {@code }}} stand for literal braces. Every variable is checked when the template
 * is read, so a typo is an error in the recipe, not a broken URL at build time.
 */
public final class Template {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final String text;
    private final List<Object> parts; // String literals and Variable references

    private record Variable(String name) {
    }

    private Template(String text, List<Object> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Reads {@code text}, allowing only the variables in {@code known}.
     *
     * @throws IllegalArgumentException naming the variable or the unbalanced brace
     */
    public static Template parse(String text, Set<String> known) {
        Objects.requireNonNull(text);
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i++;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                literal.append('}');
                i++;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'{' at offset " + i + " is never closed (write {{ for a brace)");
                }
                String name = text.substring(i + 1, end);
                if (!NAME.matcher(name).matches() || !known.contains(name)) {
                    throw new IllegalArgumentException("unknown variable {" + name + "}; known here: "
                            + String.join(", ", known.stream().sorted().map(k -> "{" + k + "}").toList()));
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Variable(name));
                i = end;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' at offset " + i + " closes nothing (write }} for a brace)");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new Template(text, parts);
    }

    /**
     * The text with every variable replaced by its value in {@code values}.
     *
     * @throws IllegalStateException when a variable has no value (a bug: variables are checked on parsing)
     */
    public String render(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Variable v) {
                String value = values.get(v.name());
                if (value == null) {
                    throw new IllegalStateException("no value for {" + v.name() + "} in '" + text + "'");
                }
                b.append(value);
            } else {
                b.append((String) p);
            }
        }
        return b.toString();
    }

    /** Whether the template uses {@code variable}. */
    public boolean uses(String variable) {
        return parts.stream().anyMatch(p -> p instanceof Variable v && v.name().equals(variable));
    }

    /** The template as written in the recipe. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
