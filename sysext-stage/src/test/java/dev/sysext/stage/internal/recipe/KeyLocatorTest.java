package dev.sysext.stage.internal.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where each key of a recipe is, for messages: tables, arrays of tables, inline tables, arrays of them. */
class KeyLocatorTest {
    private static final String TOML = """
            name = "x"   # a comment with [brackets] and {braces}
            [versions]
            source = "github"

            [[inputs]]
            name = "a"
            layout = [{ from = "bin/[ab]*", to = "usr/bin/" }, { from = "lib/*", to = "usr/lib/" }]
            verify = [
              { kind = "checksum", url = "{url}.sha256" },
              { kind = "github-digest" },
            ]
            version = { source = "document", url = "https://example.org/v" }

            [[inputs]]
            name = "b"

            [[inputs.verify]]
            kind = "none"
            """;

    @Test
    void everyKeyHasItsLine() {
        KeyLocator l = new KeyLocator(TOML);
        assertEquals(1, l.line("name"));
        assertEquals(2, l.line("versions"));
        assertEquals(3, l.line("versions.source"));
        assertEquals(5, l.line("inputs[0]"));
        assertEquals(7, l.line("inputs[0].layout[0].from"));
        assertEquals(7, l.line("inputs[0].layout[1].to"));
        assertEquals(9, l.line("inputs[0].verify[0].url"));
        assertEquals(10, l.line("inputs[0].verify[1].kind"));
        assertEquals(12, l.line("inputs[0].version.url"));
        assertEquals(15, l.line("inputs[1].name"));
        assertEquals(18, l.line("inputs[1].verify[0].kind"));
    }

    @Test
    void anUnknownKeyGetsItsNearestAncestorsLine() {
        KeyLocator l = new KeyLocator(TOML);
        assertEquals(14, l.line("inputs[1].url"));
        assertEquals(2, l.line("versions.repository"));
        assertEquals(0, l.line("keys.runc"));
    }
}
