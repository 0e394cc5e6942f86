package dev.sysext.fetch.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTreeTest {

    @Test
    void parsesValuesAndEscapes() {
        Object v = JsonTree.parse(" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\\\\\/\\n\\u00e9\\u2713\", \"o\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null), m.get("a"));
        assertEquals("q\"\\/\né\u2713", m.get("s"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of(), JsonTree.parse("[]"));
    }

    @Test
    void refusesMalformedInputWithOffset() {
        for (String bad : List.of("", "[1,]", "{\"a\" 1}", "[1] x", "\"unterminated", "{\"a\":tru}", "[\"\\x\"]",
                "[" + "[".repeat(100) + "]".repeat(101))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonTree.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
        }
    }
}
