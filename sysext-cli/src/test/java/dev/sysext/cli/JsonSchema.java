package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented shape of a JSON object: each member's name and type, exactly (a member too many
 * or too few fails), as the README's schema tables list them.
 */
final class JsonSchema {
    /** A member's type; {@code nullable} allows {@code null} too. */
    record Type(Class<?> type, boolean nullable) {
    }

    static final Type STRING = new Type(String.class, false);
    static final Type STRING_OR_NULL = new Type(String.class, true);
    static final Type INTEGER = new Type(Long.class, false);
    static final Type INTEGER_OR_NULL = new Type(Long.class, true);
    static final Type BOOLEAN = new Type(Boolean.class, false);
    static final Type ARRAY = new Type(List.class, false);
    static final Type OBJECT = new Type(Map.class, false);
    static final Type OBJECT_OR_NULL = new Type(Map.class, true);

    private final Map<String, Type> members = new LinkedHashMap<>();

    JsonSchema member(String name, Type type) {
        members.put(name, type);
        return this;
    }

    /** The members' names in the order they were given (the order the README lists them). */
    List<String> memberNames() {
        return List.copyOf(members.keySet());
    }

    void check(Map<String, Object> object) {
        assertEquals(members.keySet(), object.keySet(), () -> "members of " + object);
        members.forEach((name, t) -> {
            Object v = object.get(name);
            assertTrue(v == null ? t.nullable() : t.type().isInstance(v),
                    () -> name + " should be " + t.type().getSimpleName() + (t.nullable() ? " or null" : "")
                            + " but is " + v);
        });
    }
}
