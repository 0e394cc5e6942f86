package dev.sysext.fetch.internal.http;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.HttpSettings;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.ProxyServer;
import dev.sysext.fetch.ProxySettings;
import dev.sysext.fetch.UrlRewriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * GET with everything a release download needs: URL rewriting on every hop, redirects followed by
 * hand (so each hop is rewritten and loops are caught), retries with exponential backoff on
 * connection errors, timeouts, 5xx and bodies cut short, resumption with {@code Range}, a size
 * limit and progress reports. A URL that a rewrite rule turns into {@code file:} is read from disk.
 *
 * <p>Proxies come from {@link HttpSettings#proxies()}, chosen anew for every hop. Proxy credentials
 * go into a {@code Proxy-Authorization} header added only to requests that go through that proxy:
 * the JDK client sends it with the {@code CONNECT} of an {@code https:} tunnel (not inside the
 * tunnel), or with the forwarded request of an {@code http:} URL, and never on a direct connection.
 */
public final class HttpTransport {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final long MAX_RETRY_AFTER_MILLIS = 60_000;
    private static final String TUNNEL_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    private final HttpSettings settings;
    private final UrlRewriter rewriter;
    private final HttpClient client;

    /** A transport with its own {@link HttpClient}. */
    public HttpTransport(HttpSettings settings, UrlRewriter rewriter) {
        this(settings, rewriter, null);
    }

    /** A transport whose TLS connections use {@code tls} (tests trust their own certificate); null for the default. */
    public HttpTransport(HttpSettings settings, UrlRewriter rewriter, SSLContext tls) {
        this.settings = Objects.requireNonNull(settings);
        this.rewriter = Objects.requireNonNull(rewriter);
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySettings proxies = settings.proxies();
        if (proxies.any()) {
            if (proxies.http().filter(ProxyServer::hasCredentials).isPresent()
                    || proxies.https().filter(ProxyServer::hasCredentials).isPresent()) {
                allowBasicForTunnels();
            }
            b.proxy(new Selector(proxies));
        }
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
    }

    /**
     * The JDK refuses to send Basic credentials with a {@code CONNECT} unless this property leaves
     * Basic out (its default is "Basic", read once per JVM when the client classes load). The user
     * put the credentials in the proxy URL for exactly this, as curl and Go send them, so we clear
     * the property when it was not set explicitly. It is effective only if no JDK HTTP client was
     * made earlier in this JVM; otherwise the proxy answers 407 and the error tells how to set it.
     */
    private static synchronized void allowBasicForTunnels() {
        if (System.getProperty(TUNNEL_SCHEMES) == null) {
            System.setProperty(TUNNEL_SCHEMES, "");
        }
    }

    /** Picks the proxy for each request's URI as {@link ProxySettings#forUri} says. */
    private static final class Selector extends ProxySelector {
        private final ProxySettings proxies;

        Selector(ProxySettings proxies) {
            this.proxies = proxies;
        }

        @Override
        public List<Proxy> select(URI uri) {
            return proxies.forUri(uri)
                    .map(p -> List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(p.host(), p.port()))))
                    .orElse(List.of(Proxy.NO_PROXY));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
            // Retries are ours: nothing to remember here.
        }
    }

    /** The final response of a successful GET: where it came from and its headers. */
    public record Response(URI url, URI requested, int status, HttpHeaders headers) {
    }

    /** Lets a caller turn a particular error status into its own exception (GitHub's rate limit). */
    @FunctionalInterface
    public interface StatusCheck {
        /** An exception to throw at once, without retrying, or {@code null} for the default handling. */
        FetchException refuse(URI url, URI requested, int status, HttpHeaders headers);
    }

    /**
     * What a download that may continue an earlier run's partial body keeps between runs: the
     * validator ({@code ETag} or {@code Last-Modified}) of the response that started the body.
     */
    public interface Resumption {
        /** The validator recorded for the body the sink holds, or null when there is none. */
        String validator() throws IOException;

        /** A full (200) body is about to be written from byte 0; {@code validator} may be null. */
        void started(String validator) throws IOException;
    }

    /** The rewriter applied to every URL. */
    public UrlRewriter rewriter() {
        return rewriter;
    }

    /**
     * Gets {@code url} into {@code sink}, which must be empty.
     *
     * @param headers extra request headers; {@code Authorization} is never sent to another host on redirect
     * @param maxBytes the largest body accepted (the smaller of this and the settings' limit applies)
     * @param check optional mapping of error statuses to exceptions, may be {@code null}
     * @throws FetchException naming the URL, the status or the failure, after the retries are spent
     * @throws IOException when the sink cannot be written (a local problem, not a network one)
     */
    public Response get(URI url, Map<String, String> headers, BodySink sink, long maxBytes,
                        ProgressListener progress, StatusCheck check) throws IOException {
        return get(url, headers, sink, maxBytes, progress, check, null);
    }

    /**
     * As {@link #get(URI, Map, BodySink, long, ProgressListener, StatusCheck)}, but {@code sink} may
     * hold the start of the body from an earlier run: it is continued with {@code Range} and
     * {@code If-Range} (the recorded validator), and started over when the server's copy changed
     * (it answers 200, or a {@code Content-Range} that does not start where the sink ends).
     *
     * @param resume the validator store; null for a sink that starts empty
     */
    public Response get(URI url, Map<String, String> headers, BodySink sink, long maxBytes,
                        ProgressListener progress, StatusCheck check, Resumption resume) throws IOException {
        long limit = Math.min(maxBytes, settings.maxBytes());
        Attempt attempt = new Attempt(url, headers, sink, limit, progress, check, resume);
        if (resume != null) {
            attempt.validator = resume.validator();
            if (attempt.validator == null && sink.size() > 0) {
                sink.reset();
            }
        }
        for (int n = 0; ; n++) {
            try {
                return attempt.run();
            } catch (Retryable r) {
                if (n >= settings.retries()) {
                    throw new FetchException(url, r.status,
                            describe(url, r.requested) + ": " + r.getMessage() + " (gave up after "
                                    + (n + 1) + (n == 0 ? " attempt)" : " attempts)"), r.getCause());
                }
                long wait = settings.retryBackoff().toMillis() << Math.min(n, 16);
                if (r.retryAfterMillis > wait) {
                    wait = Math.min(r.retryAfterMillis, MAX_RETRY_AFTER_MILLIS);
                }
                sleep(url, wait);
            }
        }
    }

    private static void sleep(URI url, long millis) throws FetchException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(url, url + ": interrupted", e);
        }
    }

    static String describe(URI url, URI requested) {
        return requested == null || requested.equals(url) ? url.toString()
                : url + " (requested as " + requested + ")";
    }

    /** One logical GET, possibly spread over several HTTP exchanges when it resumes. */
    private final class Attempt {
        private final URI url;
        private final Map<String, String> headers;
        private final BodySink sink;
        private final long limit;
        private final ProgressListener progress;
        private final StatusCheck check;
        private final Resumption resume;
        private String validator;

        Attempt(URI url, Map<String, String> headers, BodySink sink, long limit, ProgressListener progress,
                StatusCheck check, Resumption resume) {
            this.resume = resume;
            this.url = url;
            this.headers = headers;
            this.sink = sink;
            this.limit = limit;
            this.progress = progress == null ? ProgressListener.NONE : progress;
            this.check = check;
        }

        Response run() throws IOException, Retryable {
            URI first = rewriter.rewrite(url);
            if ("file".equalsIgnoreCase(first.getScheme())) {
                return LocalFileSource.copy(url, first, sink, limit, progress);
            }
            long have = sink.size();
            List<String[]> extra = new ArrayList<>();
            headers.forEach((k, v) -> extra.add(new String[] {k, v}));
            if (have > 0) {
                extra.add(new String[] {"Range", "bytes=" + have + "-"});
                if (validator != null) {
                    extra.add(new String[] {"If-Range", validator});
                }
            }
            Opened opened = open(extra);
            HttpResponse<BodyStream> resp = opened.response;
            BodyStream body = resp.body();
            try {
                return receive(opened.requested, resp, body, have);
            } finally {
                body.cancel();
            }
        }

        private Response receive(URI requested, HttpResponse<BodyStream> resp, BodyStream body, long have)
                throws IOException, Retryable {
            int status = resp.statusCode();
            HttpHeaders h = resp.headers();
            long total;
            if (status == 206 && have > 0) {
                Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    sink.reset();
                    throw new Retryable(requested, -1, 0, "server resumed at another offset than byte "
                            + have + " (Content-Range: " + h.firstValue("Content-Range").orElse("none") + ")", null);
                }
                total = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
            } else if (status == 416 && have > 0) {
                // The partial body does not fit what the server now has: start over.
                sink.reset();
                throw new Retryable(requested, status, 0, "HTTP 416 when resuming at byte " + have, null);
            } else if (status >= 200 && status < 300) {
                if (have > 0) {
                    sink.reset();
                    have = 0;
                }
                OptionalLong length = h.firstValueAsLong("Content-Length");
                total = length.isPresent() ? length.getAsLong() : -1;
                validator = h.firstValue("ETag").filter(e -> !e.startsWith("W/"))
                        .or(() -> h.firstValue("Last-Modified")).orElse(null);
                if (resume != null) {
                    resume.started(validator);
                }
            } else {
                throw refusal(requested, status, h);
            }
            if (total > limit) {
                throw new FetchException(url, status, describe(url, requested) + ": the server announces " + total
                        + " bytes, more than the limit of " + limit, null);
            }
            progress.progress(url, have, total);
            while (true) {
                List<ByteBuffer> buffers;
                try {
                    buffers = body.next();
                } catch (IOException e) {
                    throw new Retryable(requested, -1, 0, "body cut short after " + have
                            + (total >= 0 ? " of " + total : "") + " bytes: " + message(e), e);
                }
                if (buffers == null) {
                    break;
                }
                for (ByteBuffer b : buffers) {
                    long n = b.remaining();
                    if (have + n > limit) {
                        throw new FetchException(url, status, describe(url, requested)
                                + ": body exceeds the limit of " + limit + " bytes", null);
                    }
                    // A failure to write is local (disk full): it propagates as it is, never retried.
                    sink.write(b);
                    have += n;
                }
                progress.progress(url, have, total);
            }
            if (total >= 0 && have < total) {
                throw new Retryable(requested, -1, 0,
                        "body cut short: got " + have + " of " + total + " bytes", null);
            }
            return new Response(url, requested, status, h);
        }

        private FetchException refusal(URI requested, int status, HttpHeaders h) throws Retryable {
            FetchException own = check == null ? null : check.refuse(url, requested, status, h);
            if (own != null) {
                return own;
            }
            String what = "HTTP " + status;
            if (status >= 500 || status == 408 || status == 429) {
                long retryAfter = seconds(h, "Retry-After").orElse(0) * 1000;
                throw new Retryable(requested, status, retryAfter, what, null);
            }
            return new FetchException(url, status, describe(url, requested) + ": " + what
                    + (status == 404 ? " (not found)" : status == 403 ? " (forbidden)" : ""), null);
        }

        private Opened open(List<String[]> extra) throws FetchException, Retryable {
            URI current = url;
            Set<URI> seen = new LinkedHashSet<>();
            String firstAuthority = null;
            for (int hops = 0; ; hops++) {
                URI requested;
                try {
                    requested = rewriter.rewrite(current);
                } catch (IllegalArgumentException e) {
                    throw new FetchException(url, url + ": rewritten URL is invalid: " + e.getMessage(), e);
                }
                if (!seen.add(requested)) {
                    seen.add(requested);
                    throw new FetchException(url, url + ": redirect loop: " + String.join(" -> ",
                            seen.stream().map(URI::toString).toList()) + " -> " + requested, null);
                }
                if (firstAuthority == null) {
                    firstAuthority = requested.getRawAuthority();
                }
                HttpRequest.Builder rb;
                try {
                    rb = HttpRequest.newBuilder(requested).GET().timeout(settings.readTimeout())
                            .header("User-Agent", settings.userAgent());
                } catch (IllegalArgumentException e) {
                    throw new FetchException(url, describe(url, requested) + ": unsupported URL: " + e.getMessage(), e);
                }
                boolean sameHost = Objects.equals(firstAuthority, requested.getRawAuthority());
                for (String[] kv : extra) {
                    // Proxy credentials come only from the settings, for the proxy this hop uses.
                    if ((sameHost || !kv[0].equalsIgnoreCase("Authorization"))
                            && !kv[0].equalsIgnoreCase("Proxy-Authorization")) {
                        rb.header(kv[0], kv[1]);
                    }
                }
                Optional<ProxyServer> via = settings.proxies().forUri(requested);
                via.flatMap(ProxyServer::authorization).ifPresent(a -> rb.header("Proxy-Authorization", a));
                HttpResponse<BodyStream> resp;
                try {
                    resp = client.send(rb.build(), info -> new BodyStream(settings.readTimeout()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FetchException(url, describe(url, requested) + ": interrupted",
                            new InterruptedIOException());
                } catch (IOException e) {
                    throw new Retryable(requested, -1, 0, "connection failed"
                            + via.map(p -> " through proxy " + p).orElse("") + ": " + message(e), e);
                }
                int status = resp.statusCode();
                if (status == 407) {
                    // A CONNECT refused by the proxy comes back with no body at all.
                    if (resp.body() != null) {
                        resp.body().cancel();
                    }
                    throw new FetchException(url, status, describe(url, requested) + ": " + proxyRefusal(via), null);
                }
                if (isRedirect(status) && resp.headers().firstValue("Location").isPresent()) {
                    resp.body().cancel();
                    if (hops >= settings.maxRedirects()) {
                        throw new FetchException(url, status, describe(url, requested) + ": more than "
                                + settings.maxRedirects() + " redirects", null);
                    }
                    String location = resp.headers().firstValue("Location").orElseThrow();
                    try {
                        current = requested.resolve(location);
                    } catch (IllegalArgumentException e) {
                        throw new FetchException(url, status, describe(url, requested)
                                + ": invalid redirect Location '" + location + "'", e);
                    }
                    continue;
                }
                return new Opened(requested, resp);
            }
        }
    }

    private static String proxyRefusal(Optional<ProxyServer> via) {
        if (via.isEmpty()) {
            return "HTTP 407 (proxy authentication required) from a proxy that was not configured";
        }
        ProxyServer p = via.get();
        if (!p.hasCredentials()) {
            return "the proxy " + p + " wants credentials: put them in the proxy URL (http://user:password@host:port)";
        }
        return "the proxy " + p + " refused the credentials in its URL (HTTP 407); if they are right, this JVM"
                + " may refuse Basic authentication for tunnels: run it with -D" + TUNNEL_SCHEMES + "=";
    }

    /** A header holding a number of seconds; empty when absent or not a number (Retry-After may be a date). */
    public static OptionalLong seconds(HttpHeaders h, String name) {
        try {
            return h.firstValue(name).map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String message(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    private record Opened(URI requested, HttpResponse<BodyStream> response) {
    }

    /** A failure worth another try. */
    private static final class Retryable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient URI requested;
        final int status;
        final long retryAfterMillis;

        Retryable(URI requested, int status, long retryAfterMillis, String message, Throwable cause) {
            super(message, cause);
            this.requested = requested;
            this.status = status;
            this.retryAfterMillis = retryAfterMillis;
        }
    }
}
