package dev.sysext.sysupdate.internal;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a tree of maps, lists, strings, booleans and integers as block-style YAML with Jackson's
 * YAML generator (SnakeYAML's emitter): no document marker, plain scalars only for plain paths,
 * names and versions (see {@link Quoting}), and multi-line text as literal blocks where YAML can
 * express it (the emitter falls back to quotes where it cannot). Streaming only: the CLI does not pay
 * for databind's start-up.
 */
public final class YamlWriter {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .stringQuotingChecker(new Quoting())
            .build();

    /**
     * Plain only what is plainly a path, a name or a dotted version; everything else is quoted.
     * Jackson's default check misses strings that YAML 1.1 readers (SnakeYAML, Butane's go-yaml)
     * resolve to numbers or booleans, such as {@code 1e3}, {@code 0x1f} or {@code .inf}.
     */
    private static final class Quoting extends StringQuotingChecker {
        private static final long serialVersionUID = 1L;
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z/][A-Za-z0-9/_.@+=-]*|[0-9]+(\\.[0-9]+){2,}");
        private static final Set<String> KEYWORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

        @Override
        public boolean needToQuoteName(String name) {
            return needToQuoteValue(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !PLAIN.matcher(value).matches() || KEYWORDS.contains(value.toLowerCase(Locale.ROOT));
        }
    }

    private YamlWriter() {
    }

    /** The document for a top-level map. */
    public static String write(Map<String, ?> document) {
        StringWriter out = new StringWriter();
        try (YAMLGenerator g = YAML.createGenerator(out)) {
            value(g, document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write YAML", e);
        }
        return out.toString();
    }

    private static void value(YAMLGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                value(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long n) {
            g.writeNumber(n);
        } else {
            throw new IllegalArgumentException("cannot write a " + (v == null ? "null" : v.getClass().getName()));
        }
    }
}
