package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sysext.fetch.testing.LoopbackProxy;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestTls;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic proxy credentials on a CONNECT tunnel. The JDK reads whether it may send them once per JVM,
 * when its HTTP client first loads, so this runs in a JVM of its own (see the surefire executions in
 * this module's POM): it proves that our transport allows them before the JDK looks.
 */
class ProxyTunnelAuthTest {
    @TempDir
    Path dir;

    @Test
    void credentialsReachTheProxyOnConnectAndNothingElse() throws Exception {
        SSLContext tls = TestTls.create(dir);
        try (LoopbackServer origin = LoopbackServer.startTls(tls).file("/f", ProxyTest.BODY);
             LoopbackProxy proxy = LoopbackProxy.start(ProxyTest.CREDENTIALS)) {
            HttpFetcher f = ProxyTest.fetcher(Map.of("HTTPS_PROXY", ProxyTest.proxyUrl(proxy, true)), tls);
            assertArrayEquals(ProxyTest.BODY, f.fetchBytes(origin.uri("/f"), 1000));
            LoopbackProxy.Seen connect = proxy.seen().get(0);
            assertEquals("CONNECT", connect.method());
            assertEquals("127.0.0.1:" + origin.base().getPort(), connect.target());
            assertEquals(ProxyTest.CREDENTIALS, connect.header("Proxy-Authorization"));
            // Inside the tunnel the origin sees no proxy credentials.
            assertNull(origin.requests("/f").get(0).header("Proxy-Authorization"));
        }
    }
}
