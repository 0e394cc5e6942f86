package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlRewriterTest {

    @Test
    void firstMatchingPrefixWins() {
        UrlRewriter r = UrlRewriter.of(List.of(
                "https://api.github.com=http://127.0.0.1:8080/api",
                "https://github.com=http://127.0.0.1:8080/gh",
                "https://github.com/containerd=http://never"));
        assertEquals(URI.create("http://127.0.0.1:8080/gh/containerd/containerd/releases/download/v2.2.0/x.tar.gz"),
                r.rewrite(URI.create("https://github.com/containerd/containerd/releases/download/v2.2.0/x.tar.gz")));
        assertEquals(URI.create("http://127.0.0.1:8080/api/repos/a/b/releases?per_page=100"),
                r.rewrite(URI.create("https://api.github.com/repos/a/b/releases?per_page=100")));
        assertEquals(URI.create("https://raw.githubusercontent.com/x"), r.rewrite(URI.create("https://raw.githubusercontent.com/x")));
    }

    @Test
    void environmentRulesComeAfterExplicitOnes() {
        UrlRewriter r = UrlRewriter.of(List.of("https://a=http://explicit"), "  https://a=http://env\n https://b=http://b2 ");
        assertEquals(List.of("https://a=http://explicit", "https://a=http://env", "https://b=http://b2"), r.rules());
        assertEquals(URI.create("http://explicit/x"), r.rewrite(URI.create("https://a/x")));
        assertEquals(URI.create("http://b2/y"), r.rewrite(URI.create("https://b/y")));
    }

    @Test
    void malformedRuleIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UrlRewriter.of(List.of("nonsense")));
        assertEquals("URL rewrite rule 'nonsense' is not PREFIX=REPLACEMENT", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UrlRewriter.of(List.of("=x")));
    }
}
