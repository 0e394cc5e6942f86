package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    private static final ProxyServer P = ProxyServer.parse("http://proxy:3128", "test");

    private static boolean direct(String noProxy, String url) {
        return new ProxySettings(Optional.of(P), Optional.of(P), List.of(noProxy)).forUri(URI.create(url)).isEmpty();
    }

    @Test
    void variablesAsCurlReadsThem() {
        ProxySettings s = ProxySettings.fromEnvironment(Map.of(
                "HTTPS_PROXY", "http://upper:1", "https_proxy", "lower.example:8080",
                "HTTP_PROXY", "http://only-upper:2", "NO_PROXY", "internal.example"));
        assertEquals("lower.example", s.https().orElseThrow().host());
        assertEquals(8080, s.https().orElseThrow().port());
        assertEquals("https_proxy", s.https().orElseThrow().source());
        assertEquals("only-upper", s.http().orElseThrow().host());
        assertEquals(List.of("internal.example"), s.noProxy());
        // all_proxy fills in; empty values count as unset; no port means curl's 1080.
        ProxySettings a = ProxySettings.fromEnvironment(Map.of("ALL_PROXY", "http://all", "https_proxy", ""));
        assertEquals("all", a.https().orElseThrow().host());
        assertEquals(1080, a.http().orElseThrow().port());
        assertFalse(ProxySettings.fromEnvironment(Map.of()).any());
    }

    @Test
    void credentialsArePercentDecodedAndNeverPrinted() {
        ProxyServer p = ProxyServer.parse("http://us%40er:p%3Ass+w%25rd@[::1]:3128/", "https_proxy");
        assertEquals("us@er", p.user());
        assertEquals("p:ss+w%rd", p.password());
        assertEquals("::1", p.host());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("us@er:p:ss+w%rd".getBytes()), p.authorization().orElseThrow());
        assertEquals("[::1]:3128 (from https_proxy)", p.toString());
        assertTrue(ProxyServer.parse("proxy:1", "x").authorization().isEmpty());
    }

    @Test
    void unusableProxyUrlsNameTheVariableNotThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.fromEnvironment(Map.of("https_proxy", "socks5://u:secret@proxy:1080")));
        assertTrue(e.getMessage().startsWith("https_proxy: proxy scheme 'socks5'"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        e = assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.fromEnvironment(Map.of("http_proxy", "http://u:secret@proxy:1/path")));
        assertTrue(e.getMessage().startsWith("http_proxy: "), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
        e = assertThrows(IllegalArgumentException.class,
                () -> ProxySettings.fromEnvironment(Map.of("NO_PROXY", "10.0.0.0/33")));
        assertTrue(e.getMessage().startsWith("NO_PROXY: NO_PROXY entry '10.0.0.0/33'"), e.getMessage());
    }

    @Test
    void noProxyFollowsCurl() {
        // Domains match themselves and subdomains, with or without the leading dot, case-insensitively.
        assertTrue(direct("example.com", "https://example.com/x"));
        assertTrue(direct("example.com", "https://a.b.EXAMPLE.com/x"));
        assertTrue(direct(".example.com", "https://example.com/x"));
        assertTrue(direct(".example.com", "https://a.example.com./x"));
        assertFalse(direct("example.com", "https://notexample.com/x"));
        assertFalse(direct("example.com", "https://example.com.evil/x"));
        // Lists: commas and whitespace.
        assertTrue(direct("foo, example.org  bar", "http://www.example.org/"));
        assertFalse(direct("foo, example.org", "http://www.example.net/"));
        assertTrue(direct("*", "https://anything/"));
        assertFalse(direct("", "https://anything/"));
        // Ports: an entry with one applies to that port only (URL default ports count).
        assertTrue(direct("example.com:8443", "https://example.com:8443/"));
        assertFalse(direct("example.com:8443", "https://example.com/"));
        assertTrue(direct("example.com:443", "https://example.com/"));
        // IP literals match as written, no DNS; CIDR blocks match literals inside.
        assertTrue(direct("127.0.0.1", "http://127.0.0.1:9/"));
        assertFalse(direct("127.0.0.1", "http://localhost:9/"));
        assertTrue(direct("10.0.0.0/8", "http://10.200.3.4/"));
        assertFalse(direct("10.0.0.0/8", "http://11.0.0.1/"));
        assertTrue(direct("192.168.1.0/24:8080", "http://192.168.1.7:8080/"));
        assertFalse(direct("192.168.1.0/24:8080", "http://192.168.1.7/"));
        assertTrue(direct("::1", "http://[::1]:80/"));
        assertTrue(direct("[::1]:8080", "http://[::1]:8080/"));
        assertFalse(direct("[::1]:8080", "http://[::1]:80/"));
        assertTrue(direct("fd00::/8", "http://[fd12::5]/"));
        assertFalse(direct("fd00::/8", "http://[fe80::1]/"));
        assertTrue(direct("0.0.0.0/0", "http://1.2.3.4/"));
        // Schemes other than http and https never use a proxy.
        assertTrue(direct("", "file:///tmp/x"));
    }
}
