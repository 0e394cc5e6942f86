package dev.sysext.fetch;

import dev.sysext.fetch.internal.http.NoProxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxy a request goes through, as curl, Go and Maven users configure it: {@code https_proxy}
 * for {@code https:} URLs, {@code http_proxy} for {@code http:} URLs, {@code all_proxy} for either
 * when the specific one is unset, and {@code no_proxy} for the hosts reached directly. Each variable
 * is read in lower case first, then upper case; an empty value counts as unset. See
 * {@link dev.sysext.fetch.internal.http.NoProxy} for the {@code no_proxy} rules.
 *
 * @param http the proxy for {@code http:} URLs
 * @param https the proxy for {@code https:} URLs
 * @param noProxy the {@code no_proxy} entries (each may hold several, separated by commas or whitespace)
 */
public record ProxySettings(Optional<ProxyServer> http, Optional<ProxyServer> https, List<String> noProxy) {
    /** No proxy at all. */
    public static final ProxySettings NONE = new ProxySettings(Optional.empty(), Optional.empty(), List.of());

    /**
     * Validates the {@code no_proxy} entries.
     *
     * @throws IllegalArgumentException naming an entry that is no host, domain, IP address or CIDR block
     */
    public ProxySettings {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(https, "https");
        noProxy = List.copyOf(noProxy);
        NoProxy.parse(noProxy);
    }

    /**
     * The proxies {@code environment} configures (pass {@code System.getenv()}).
     *
     * @throws IllegalArgumentException naming the variable whose value is not a usable proxy URL
     */
    public static ProxySettings fromEnvironment(Map<String, String> environment) {
        Optional<ProxyServer> all = variable(environment, "all_proxy");
        Optional<ProxyServer> http = variable(environment, "http_proxy").or(() -> all);
        Optional<ProxyServer> https = variable(environment, "https_proxy").or(() -> all);
        Optional<String[]> no = value(environment, "no_proxy");
        List<String> entries = no.map(v -> List.of(v[1])).orElse(List.of());
        try {
            return new ProxySettings(http, https, entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(no.map(v -> v[0]).orElse("no_proxy") + ": " + e.getMessage(), e);
        }
    }

    /** The proxy for a request to {@code url}, or empty to connect directly. */
    public Optional<ProxyServer> forUri(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        Optional<ProxyServer> p = switch (scheme) {
            case "http" -> http;
            case "https" -> https;
            default -> Optional.empty();
        };
        if (p.isEmpty() || url.getHost() == null) {
            return Optional.empty();
        }
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return NoProxy.parse(noProxy).matches(url.getHost(), port) ? Optional.empty() : p;
    }

    /** Whether any proxy is configured. */
    public boolean any() {
        return http.isPresent() || https.isPresent();
    }

    private static Optional<ProxyServer> variable(Map<String, String> environment, String lower) {
        return value(environment, lower).map(v -> ProxyServer.parse(v[1], v[0]));
    }

    /** {name, value} of the lower-case variable, else the upper-case one, when set and not empty. */
    private static Optional<String[]> value(Map<String, String> environment, String lower) {
        for (String name : List.of(lower, lower.toUpperCase(Locale.ROOT))) {
            String v = environment.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(new String[] {name, v});
            }
        }
        return Optional.empty();
    }
}
