package dev.sysext.fetch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An HTTP server on 127.0.0.1 (ephemeral port) for tests, with routes by exact path or prefix, a log
 * of requests, {@code Range} support for byte bodies, and faults injected per path: the next
 * requests to a path get the queued faults in order, then normal replies.
 */
public final class LoopbackServer implements AutoCloseable {
    /** Something that goes wrong with one reply. */
    public enum Fault {
        /** 503 Service Unavailable. */
        STATUS_503,
        /** 404 Not Found. */
        NOT_FOUND,
        /** Headers announce the full length, half the body is sent, then the connection closes. */
        CUT_SHORT,
        /** Content-Length announces 100 bytes more than the body has; the connection then closes. */
        LENGTH_TOO_LONG,
        /** Content-Length announces 10 bytes fewer than the body has (the client sees a shorter body). */
        LENGTH_TOO_SHORT,
        /** Half the body is sent, then the server stalls for {@link #stallMillis}. */
        STALL_BODY,
        /** The server stalls for {@link #stallMillis} before sending headers. */
        STALL_HEADERS
    }

    /** A request as the server saw it; header names lower-case. */
    public record Request(String method, String path, String query, Map<String, String> headers) {
        /** A header value, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * A reply; {@code ranges} lets the server answer {@code Range} requests with 206. A
     * {@code Transfer-Encoding} header makes the body chunked (no Content-Length).
     */
    public record Reply(int status, Map<String, String> headers, byte[] body, boolean ranges) {
        /** 200 with a byte body that supports ranges and carries an ETag. */
        public static Reply bytes(byte[] body) {
            return new Reply(200, Map.of("ETag", "\"" + sha256(body).substring(0, 16) + "\"",
                    "Accept-Ranges", "bytes"), body, true);
        }

        /** 200 with JSON. */
        public static Reply json(String json, Map<String, String> headers) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put("Content-Type", "application/json; charset=utf-8");
            return new Reply(200, h, json.getBytes(StandardCharsets.UTF_8), false);
        }

        /** A redirect. */
        public static Reply redirect(int status, String location) {
            return new Reply(status, Map.of("Location", location), new byte[0], false);
        }

        /** A bare status with headers. */
        public static Reply status(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** Answers requests. */
    @FunctionalInterface
    public interface Route {
        /** The reply to {@code request}. */
        Reply reply(Request request);
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Route> exact = new ConcurrentHashMap<>();
    private final Map<String, Route> prefixes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<Request> log = Collections.synchronizedList(new ArrayList<>());
    private volatile long stallMillis = 3000;

    private LoopbackServer(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 16);
        } else {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on an ephemeral loopback port. */
    public static LoopbackServer start() throws IOException {
        return new LoopbackServer(null);
    }

    /** Starts an HTTPS server whose certificate and key come from {@code tls} (see {@link TestTls}). */
    public static LoopbackServer startTls(SSLContext tls) throws IOException {
        return new LoopbackServer(tls);
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://} for a TLS server. */
    public URI base() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The URL of {@code path} (which starts with {@code /}). */
    public URI uri(String path) {
        return URI.create(base() + path);
    }

    /** Serves {@code path} exactly with {@code route}. */
    public LoopbackServer route(String path, Route route) {
        exact.put(path, route);
        return this;
    }

    /** Serves every path under {@code prefix} with {@code route} (exact routes win). */
    public LoopbackServer prefix(String prefix, Route route) {
        prefixes.put(prefix, route);
        return this;
    }

    /** Serves {@code body} at {@code path}, with Range support. */
    public LoopbackServer file(String path, byte[] body) {
        return route(path, r -> Reply.bytes(body));
    }

    /** Redirects {@code path} to {@code location} with 302. */
    public LoopbackServer redirect(String path, String location) {
        return route(path, r -> Reply.redirect(302, location));
    }

    /** Queues {@code fs} for the next requests to {@code path}, one per request. */
    public LoopbackServer fail(String path, Fault... fs) {
        faults.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(Arrays.asList(fs));
        return this;
    }

    /** How long the stall faults last (default 3 s; keep the client's read timeout well below). */
    public LoopbackServer stallMillis(long millis) {
        stallMillis = millis;
        return this;
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The requests so far to {@code path}. */
    public List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            URI u = ex.getRequestURI();
            Request req = new Request(ex.getRequestMethod(), u.getRawPath(), u.getRawQuery(), headers);
            log.add(req);
            Fault fault = nextFault(req.path());
            if (fault == Fault.STATUS_503) {
                send(ex, Reply.status(503, Map.of(), "unavailable"), null);
                return;
            }
            if (fault == Fault.NOT_FOUND) {
                send(ex, Reply.status(404, Map.of(), "not found"), null);
                return;
            }
            if (fault == Fault.STALL_HEADERS) {
                pause();
            }
            Route route = exact.get(req.path());
            if (route == null) {
                synchronized (prefixes) {
                    for (Map.Entry<String, Route> e : prefixes.entrySet()) {
                        if (req.path().startsWith(e.getKey())) {
                            route = e.getValue();
                            break;
                        }
                    }
                }
            }
            Reply reply = route == null ? Reply.status(404, Map.of(), "no route") : route.reply(req);
            send(ex, ranged(req, reply), fault);
        } catch (IOException | RuntimeException e) {
            // The client went away or a fault closed the connection: nothing to report.
        }
    }

    private Fault nextFault(String path) {
        Deque<Fault> q = faults.get(path);
        synchronized (this) {
            return q == null ? null : q.poll();
        }
    }

    private static Reply ranged(Request req, Reply reply) {
        String range = req.header("Range");
        if (range == null || !reply.ranges() || reply.status() != 200) {
            return reply;
        }
        String ifRange = req.header("If-Range");
        if (ifRange != null && !ifRange.equals(reply.headers().get("ETag"))) {
            return reply;
        }
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            return reply;
        }
        long start = Long.parseLong(m.group(1));
        int len = reply.body().length;
        if (start >= len) {
            return Reply.status(416, Map.of("Content-Range", "bytes */" + len), "");
        }
        Map<String, String> h = new LinkedHashMap<>(reply.headers());
        h.put("Content-Range", "bytes " + start + "-" + (len - 1) + "/" + len);
        return new Reply(206, h, Arrays.copyOfRange(reply.body(), (int) start, len), true);
    }

    private void send(HttpExchange ex, Reply reply, Fault fault) throws IOException {
        boolean chunked = reply.headers().containsKey("Transfer-Encoding");
        reply.headers().forEach((k, v) -> {
            if (!k.equals("Transfer-Encoding")) {
                ex.getResponseHeaders().add(k, v);
            }
        });
        byte[] body = reply.body();
        int len = body.length;
        long declared = fault == Fault.LENGTH_TOO_LONG ? len + 100L : fault == Fault.LENGTH_TOO_SHORT ? len - 10L : len;
        // The JDK server sends a chunked body for length 0 and no body for -1.
        ex.sendResponseHeaders(reply.status(), chunked ? 0 : declared == 0 ? -1 : declared);
        if (len == 0) {
            return;
        }
        OutputStream out = ex.getResponseBody();
        if (fault == Fault.CUT_SHORT || fault == Fault.STALL_BODY) {
            out.write(body, 0, len / 2);
            out.flush();
            if (fault == Fault.STALL_BODY) {
                pause();
            } else {
                // The server may reset the connection, and a reset can discard data the client has
                // not read yet: give it time to read what was sent, so the cut is where we say.
                sleep(1000);
            }
            // Closing now, short of the announced length, makes the server drop the connection.
            return;
        }
        out.write(body, 0, (int) Math.min(len, declared));
        out.flush();
    }

    private void pause() {
        sleep(stallMillis);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SHA-256 in hex. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
