package dev.sysext.fetch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 for tests: {@code CONNECT host:port} opens a tunnel (for https), any
 * other request with an absolute URI is forwarded (for http). It logs every request head it gets,
 * and when given credentials answers 407 to requests without the matching {@code Proxy-Authorization}.
 * Forwarded requests lose their {@code Proxy-Authorization}, as a real proxy's do.
 */
public final class LoopbackProxy implements AutoCloseable {
    /** A request head as the proxy saw it; header names lower-case. */
    public record Seen(String method, String target, Map<String, String> headers) {
        /** A header value, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<Seen> log = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-proxy");
        t.setDaemon(true);
        return t;
    });

    private LoopbackProxy(String expectedAuthorization) throws IOException {
        this.expectedAuthorization = expectedAuthorization;
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        executor.execute(this::accept);
    }

    /** A proxy that wants {@code Proxy-Authorization: expected} (null: no authentication). */
    public static LoopbackProxy start(String expectedAuthorization) throws IOException {
        return new LoopbackProxy(expectedAuthorization);
    }

    /** Its port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Every request head so far, in order. */
    public List<Seen> seen() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                executor.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : head.subList(1, head.size())) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            Seen seen = new Seen(line[0], line[1], headers);
            log.add(seen);
            if (expectedAuthorization != null && !expectedAuthorization.equals(seen.header("Proxy-Authorization"))) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            if (seen.method().equals("CONNECT")) {
                String[] hp = seen.target().split(":");
                try (Socket origin = new Socket(hp[0], Integer.parseInt(hp[1]))) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    pipe(client, origin);
                }
                return;
            }
            forward(seen, out);
        } catch (IOException | RuntimeException e) {
            // The client went away: nothing to report.
        }
    }

    private static void forward(Seen seen, OutputStream out) throws IOException {
        URI u = URI.create(seen.target());
        try (Socket origin = new Socket(u.getHost(), u.getPort() < 0 ? 80 : u.getPort())) {
            StringBuilder req = new StringBuilder(seen.method() + " " + u.getRawPath()
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()) + " HTTP/1.1\r\n");
            seen.headers().forEach((k, v) -> {
                if (!k.equals("proxy-authorization") && !k.equals("connection")) {
                    req.append(k).append(": ").append(v).append("\r\n");
                }
            });
            req.append("connection: close\r\n\r\n");
            origin.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            origin.getOutputStream().flush();
            // The origin closes after its reply (connection: close); so does the proxy.
            origin.getInputStream().transferTo(out);
            out.flush();
        }
    }

    private void pipe(Socket a, Socket b) throws IOException {
        executor.execute(() -> {
            try {
                b.getInputStream().transferTo(a.getOutputStream());
            } catch (IOException e) {
                // Either side closed.
            } finally {
                try {
                    a.shutdownOutput();
                } catch (IOException ignored) {
                    // Already closed.
                }
            }
        });
        try {
            a.getInputStream().transferTo(b.getOutputStream());
        } catch (IOException e) {
            // Either side closed.
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (s.isEmpty()) {
                    return lines;
                }
                lines.add(s);
                line.reset();
            } else {
                line.write(c);
            }
        }
        return List.of();
    }
}
