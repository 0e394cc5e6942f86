package dev.sysext.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy, as given in {@code https_proxy} or {@code http_proxy}. Requests for {@code http:}
 * URLs are forwarded by it; {@code https:} URLs go through a {@code CONNECT} tunnel, so the proxy
 * never sees their headers. Credentials are sent only to the proxy, never to the servers behind it;
 * {@link #toString()} leaves them out.
 *
 * @param host the proxy's host name or IP address (IPv6 without brackets)
 * @param port its port
 * @param user the user name for Basic authentication, empty for none
 * @param password the password, empty for none
 * @param source where the proxy was configured (an environment variable name), for messages
 */
public record ProxyServer(String host, int port, String user, String password, String source) {
    /** The port when the URL names none: 1080, as in curl. */
    public static final int DEFAULT_PORT = 1080;

    /** Validates the values. */
    public ProxyServer {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("a proxy needs a host and a port from 1 to 65535");
        }
    }

    /**
     * Parses a proxy URL as curl does: {@code [http://][user[:password]@]host[:port][/]}, with the
     * user and password percent-decoded ({@code %40} for {@code @}, {@code %3A} for {@code :}).
     *
     * @param source where the value came from, named in errors
     * @throws IllegalArgumentException naming {@code source} when the URL is not an HTTP proxy URL
     *     (the message never repeats a password)
     */
    public static ProxyServer parse(String url, String source) {
        String text = url.trim();
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + ": not a proxy URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(source + ": proxy scheme '" + scheme
                    + "' is not supported; only http:// proxies are (https:// URLs still reach their servers through them)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(source + ": no proxy host in the URL");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(source + ": a proxy URL has no path, query or fragment");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = "";
        String password = "";
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        return new ProxyServer(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), user, password, source);
    }

    private static String decode(String s) {
        // URLDecoder would turn '+' into a space; in a URL's user info '+' is itself.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Whether a user name was given. */
    public boolean hasCredentials() {
        return !user.isEmpty();
    }

    /** The {@code Proxy-Authorization} value for these credentials, when there are any. */
    public Optional<String> authorization() {
        if (!hasCredentials()) {
            return Optional.empty();
        }
        byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair));
    }

    /** {@code host:port (from SOURCE)}; never the credentials. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return h + ":" + port + (source.isEmpty() ? "" : " (from " + source + ")");
    }
}
