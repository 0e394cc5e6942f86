package dev.sysext.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP client behaves.
 *
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param readTimeout how long to wait for response headers, and for each further piece of a body
 * @param retries how many times a request is retried after a connection error, a timeout, a 5xx
 *     status or a body cut short (so a request is tried {@code retries + 1} times)
 * @param retryBackoff the wait before the first retry; it doubles for each further retry
 * @param maxRedirects how many redirects one request may follow
 * @param maxBytes the largest body accepted, in bytes
 * @param userAgent the {@code User-Agent} header sent with every request
 * @param proxies the proxies requests go through ({@link ProxySettings#NONE} for direct connections)
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, int retries, Duration retryBackoff,
                           int maxRedirects, long maxBytes, String userAgent,
                           ProxySettings proxies) {

    /** Largest body accepted by default: 2 GiB, far above any sysext payload. */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    /** Validates the settings. */
    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(proxies, "proxies");
        if (retries < 0 || maxRedirects < 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("retries, maxRedirects must be >= 0 and maxBytes > 0");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive and the backoff not negative");
        }
    }

    /** 15 s connect, 60 s read, 4 retries from 1 s, 10 redirects, 2 GiB, no proxy. */
    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(15), Duration.ofSeconds(60), 4, Duration.ofSeconds(1), 10,
                DEFAULT_MAX_BYTES, "sysext",
                ProxySettings.NONE);
    }

    /** These settings with other timeouts. */
    public HttpSettings withTimeouts(Duration connect, Duration read) {
        return new HttpSettings(connect, read, retries, retryBackoff, maxRedirects, maxBytes, userAgent, proxies);
    }

    /** These settings with another retry policy. */
    public HttpSettings withRetries(int count, Duration backoff) {
        return new HttpSettings(connectTimeout, readTimeout, count, backoff, maxRedirects, maxBytes, userAgent, proxies);
    }

    /** These settings with another size limit. */
    public HttpSettings withMaxBytes(long limit) {
        return new HttpSettings(connectTimeout, readTimeout, retries, retryBackoff, maxRedirects, limit, userAgent, proxies);
    }

    /** These settings with another {@code User-Agent}. */
    public HttpSettings withUserAgent(String agent) {
        return new HttpSettings(connectTimeout, readTimeout, retries, retryBackoff, maxRedirects, maxBytes, agent, proxies);
    }

    /** These settings with other proxies, e.g. {@code ProxySettings.fromEnvironment(System.getenv())}. */
    public HttpSettings withProxies(ProxySettings p) {
        return new HttpSettings(connectTimeout, readTimeout, retries, retryBackoff, maxRedirects, maxBytes, userAgent, p);
    }
}
