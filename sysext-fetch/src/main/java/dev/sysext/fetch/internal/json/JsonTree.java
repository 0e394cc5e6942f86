package dev.sysext.fetch.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON into plain Java values with Jackson's streaming parser: objects become
 * {@link LinkedHashMap}s (in document order), arrays {@link ArrayList}s, numbers {@link BigDecimal}s,
 * and strings, booleans and null themselves. jackson-core only: databind would cost every command
 * about 0.15 s of start-up for the two small documents we read (GitHub's release lists, build
 * manifests).
 */
public final class JsonTree {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100).build())
            .build();

    private JsonTree() {
    }

    /**
     * The value of the one JSON document in {@code text}.
     *
     * @throws IllegalArgumentException {@code invalid JSON at offset N: ...} for malformed JSON,
     *     duplicate keys, or anything after the document
     */
    public static Object parse(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("invalid JSON at offset 0: no value");
            }
            Object v = value(p, first);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("invalid JSON at offset " + p.currentTokenLocation().getCharOffset()
                        + ": more after the value");
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON at offset "
                    + (e.getLocation() == null ? "?" : e.getLocation().getCharOffset()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String name; (name = p.nextFieldName()) != null; ) {
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken next; (next = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    l.add(value(p, next));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected " + t);
        }
    }
}
