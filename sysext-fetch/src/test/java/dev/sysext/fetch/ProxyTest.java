package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.internal.http.MemorySink;
import dev.sysext.fetch.testing.LoopbackProxy;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestTls;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxies from the environment against a loopback proxy. Proxy credentials on a CONNECT tunnel are
 * tested in {@link ProxyTunnelAuthTest}, which needs a JVM of its own.
 */
class ProxyTest {
    static final byte[] BODY = "the artifact".getBytes();
    static final String CREDENTIALS = "Basic " + Base64.getEncoder().encodeToString("us@er:p:ss".getBytes());

    @TempDir
    java.nio.file.Path dir;

    static HttpFetcher fetcher(Map<String, String> env, SSLContext tls) {
        // A cold TLS handshake on a busy machine can take seconds: generous timeouts, no retries.
        return new HttpFetcher(HttpSettings.defaults().withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20))
                .withRetries(0, Duration.ZERO).withProxies(ProxySettings.fromEnvironment(env)), UrlRewriter.of(List.of()), tls);
    }

    static String proxyUrl(LoopbackProxy proxy, boolean credentials) {
        return "http://" + (credentials ? "us%40er:p%3Ass@" : "") + "127.0.0.1:" + proxy.port();
    }

    @Test
    void httpGoesThroughForwardProxyWithCredentials() throws Exception {
        try (LoopbackServer origin = LoopbackServer.start().file("/f", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(CREDENTIALS)) {
            HttpFetcher f = fetcher(Map.of("http_proxy", proxyUrl(proxy, true)), null);
            assertArrayEquals(BODY, f.fetchBytes(origin.uri("/f"), 1000));
            LoopbackProxy.Seen seen = proxy.seen().get(0);
            assertEquals("GET", seen.method());
            assertEquals(origin.uri("/f").toString(), seen.target());
            assertEquals(CREDENTIALS, seen.header("Proxy-Authorization"));
            // The origin got the request from the proxy, without the proxy's credentials.
            assertEquals(1, origin.requests("/f").size());
            assertNull(origin.requests("/f").get(0).header("Proxy-Authorization"));
        }
    }

    @Test
    void noProxyBypassesTheProxyAndSendsNoCredentials() throws Exception {
        try (LoopbackServer origin = LoopbackServer.start().file("/f", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(CREDENTIALS)) {
            HttpFetcher f = fetcher(Map.of("HTTP_PROXY", proxyUrl(proxy, true), "HTTPS_PROXY", proxyUrl(proxy, true),
                    "NO_PROXY", "example.org, 127.0.0.0/8"), null);
            assertArrayEquals(BODY, f.fetchBytes(origin.uri("/f"), 1000));
            assertEquals(List.of(), proxy.seen());
            assertNull(origin.requests("/f").get(0).header("Proxy-Authorization"));
        }
    }

    @Test
    void proxyWithoutCredentialsAnswering407SaysWhatToDo() throws Exception {
        try (LoopbackServer origin = LoopbackServer.start().file("/f", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(CREDENTIALS)) {
            HttpFetcher f = fetcher(Map.of("http_proxy", proxyUrl(proxy, false)), null);
            FetchException e = assertThrows(FetchException.class, () -> f.fetchBytes(origin.uri("/f"), 1000));
            assertEquals(java.util.OptionalInt.of(407), e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("the proxy 127.0.0.1:" + proxy.port() + " (from http_proxy) wants credentials"),
                    e.getMessage());
            assertEquals(List.of(), origin.requests());
        }
    }

    @Test
    void tunnelRefusedWith407SaysWhatToDo() throws Exception {
        SSLContext tls = TestTls.create(dir);
        try (LoopbackServer origin = LoopbackServer.startTls(tls).file("/f", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(CREDENTIALS)) {
            HttpFetcher f = fetcher(Map.of("https_proxy", proxyUrl(proxy, false)), tls);
            FetchException e = assertThrows(FetchException.class, () -> f.fetchBytes(origin.uri("/f"), 1000));
            assertEquals(java.util.OptionalInt.of(407), e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("the proxy 127.0.0.1:" + proxy.port() + " (from https_proxy) wants credentials"),
                    e.getMessage());
            assertEquals("CONNECT", proxy.seen().get(0).method());
            assertEquals(List.of(), origin.requests());
        }
    }

    @Test
    void unreachableProxyIsNamed() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpFetcher f = fetcher(Map.of("https_proxy", "http://u:secret@127.0.0.1:" + port), null);
        FetchException e = assertThrows(FetchException.class, () -> f.fetchBytes(URI.create("https://example.invalid/f"), 1000));
        assertTrue(e.getMessage().contains("connection failed through proxy 127.0.0.1:" + port + " (from https_proxy)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void tokenStaysWithItsHostThroughAForwardProxy() throws Exception {
        try (LoopbackServer api = LoopbackServer.start();
             LoopbackServer foreign = LoopbackServer.start().file("/asset", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(null)) {
            URI elsewhere = URI.create("http://localhost:" + foreign.base().getPort() + "/asset");
            api.redirect("/repos/x/releases", elsewhere.toString());
            HttpFetcher f = fetcher(Map.of("http_proxy", proxyUrl(proxy, false)), null);
            MemorySink sink = new MemorySink();
            HttpFetcher.get(f.transport(), api.uri("/repos/x/releases"), Map.of("Authorization", "Bearer SECRET"),
                    sink, 1000, null);
            assertArrayEquals(BODY, sink.bytes());
            List<LoopbackProxy.Seen> seen = proxy.seen();
            assertEquals(2, seen.size());
            assertEquals("Bearer SECRET", seen.get(0).header("Authorization"));
            assertEquals(elsewhere.toString(), seen.get(1).target());
            assertNull(seen.get(1).header("Authorization"));
            assertNull(foreign.requests("/asset").get(0).header("Authorization"));
        }
    }

    @Test
    void httpsGoesThroughConnectTunnelAndTokenStaysWithItsHost() throws Exception {
        SSLContext tls = TestTls.create(dir);
        try (LoopbackServer api = LoopbackServer.startTls(tls);
             LoopbackServer foreign = LoopbackServer.startTls(tls).file("/asset", BODY);
             LoopbackProxy proxy = LoopbackProxy.start(null)) {
            URI elsewhere = URI.create("https://localhost:" + foreign.base().getPort() + "/asset");
            api.redirect("/repos/x/releases", elsewhere.toString());
            HttpFetcher f = fetcher(Map.of("https_proxy", proxyUrl(proxy, false)), tls);
            MemorySink sink = new MemorySink();
            HttpFetcher.get(f.transport(), api.uri("/repos/x/releases"), Map.of("Authorization", "Bearer SECRET"),
                    sink, 1000, null);
            assertArrayEquals(BODY, sink.bytes());
            // Both hops were tunnels: the proxy saw only CONNECTs, never the token.
            List<LoopbackProxy.Seen> seen = proxy.seen();
            assertEquals(List.of("CONNECT 127.0.0.1:" + api.base().getPort(), "CONNECT localhost:" + foreign.base().getPort()),
                    seen.stream().map(s -> s.method() + " " + s.target()).toList());
            assertTrue(seen.stream().allMatch(s -> s.header("Authorization") == null));
            assertEquals("Bearer SECRET", api.requests("/repos/x/releases").get(0).header("Authorization"));
            assertNull(foreign.requests("/asset").get(0).header("Authorization"));
        }
    }
}
