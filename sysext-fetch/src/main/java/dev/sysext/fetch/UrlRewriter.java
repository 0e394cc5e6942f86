package dev.sysext.fetch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites URLs before they are requested, like git's {@code url.X.insteadOf}: an ordered list of
 * {@code PREFIX=REPLACEMENT} rules; the first rule whose prefix matches wins. This is how a mirror,
 * an air-gapped proxy or a test server stands in for GitHub.
 */
public final class UrlRewriter {
    /** Environment variable holding whitespace-separated rules. */
    public static final String ENVIRONMENT_VARIABLE = "SYSEXT_REWRITE_URL";

    private final List<Rule> rules;

    private UrlRewriter(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** A rewriter that leaves every URL as it is. */
    public static UrlRewriter none() {
        return new UrlRewriter(List.of());
    }

    /**
     * Parses rules of the form {@code PREFIX=REPLACEMENT}, in order.
     *
     * @throws IllegalArgumentException naming the rule that has no {@code =} or an empty prefix
     */
    public static UrlRewriter of(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("URL rewrite rule '" + spec + "' is not PREFIX=REPLACEMENT");
            }
            rules.add(new Rule(spec.substring(0, eq), spec.substring(eq + 1)));
        }
        return new UrlRewriter(rules);
    }

    /** Rules from an explicit list first, then from {@value #ENVIRONMENT_VARIABLE} (whitespace-separated). */
    public static UrlRewriter of(List<String> specs, String environmentValue) {
        List<String> all = new ArrayList<>(specs);
        if (environmentValue != null && !environmentValue.isBlank()) {
            all.addAll(List.of(environmentValue.trim().split("\\s+")));
        }
        return of(all);
    }

    /** The URL to request in place of {@code url}. */
    public URI rewrite(URI url) {
        String s = url.toString();
        for (Rule r : rules) {
            if (s.startsWith(r.prefix)) {
                return URI.create(r.replacement + s.substring(r.prefix.length()));
            }
        }
        return url;
    }

    /** The rules in order, as {@code PREFIX=REPLACEMENT}. */
    public List<String> rules() {
        return rules.stream().map(r -> r.prefix + "=" + r.replacement).toList();
    }

    private record Rule(String prefix, String replacement) {
    }
}
