package dev.sysext.fetch;

import dev.sysext.fetch.internal.github.LinkHeader;
import dev.sysext.fetch.internal.github.RateLimitCheck;
import dev.sysext.fetch.internal.github.ReleaseJson;
import dev.sysext.fetch.internal.http.HttpTransport;
import dev.sysext.fetch.internal.http.MemorySink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lists a repository's releases through the GitHub REST API ({@code GET /repos/OWNER/REPO/releases},
 * 100 per page, following {@code Link: rel="next"}). Requests go through the fetcher's
 * {@link UrlRewriter}, so a mirror or a test server can stand in for {@code api.github.com}. A token,
 * when given, is sent as a bearer token (and never to another host on redirect); the library reads
 * no environment variable except through {@link #tokenFromEnvironment}.
 */
public final class GitHubReleases {
    /** The public API. */
    public static final URI API = URI.create("https://api.github.com");
    /** The environment variable {@link #tokenFromEnvironment} reads. */
    public static final String TOKEN_VARIABLE = "GITHUB_TOKEN";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final long PAGE_LIMIT = 32L << 20;
    private static final int MAX_PAGES = 1000;

    private final HttpTransport transport;
    private final URI api;
    private final Optional<String> token;

    /** A client of the public API at {@link #API}. */
    public GitHubReleases(HttpFetcher fetcher, Optional<String> token) {
        this(fetcher, API, token);
    }

    /** A client of the API at {@code api} (for GitHub Enterprise; prefer rewrite rules for mirrors). */
    public GitHubReleases(HttpFetcher fetcher, URI api, Optional<String> token) {
        this.transport = fetcher.transport();
        String s = api.toString();
        this.api = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.token = Objects.requireNonNull(token).filter(t -> !t.isBlank());
    }

    /** The token in {@value #TOKEN_VARIABLE} of {@code environment} (pass {@code System.getenv()}), if set. */
    public static Optional<String> tokenFromEnvironment(Map<String, String> environment) {
        return Optional.ofNullable(environment.get(TOKEN_VARIABLE)).map(String::trim).filter(t -> !t.isEmpty());
    }

    /**
     * The releases of {@code owner/repo} that pass {@code filter}, newest version first.
     *
     * @throws RateLimitException when the API's rate limit is used up
     * @throws FetchException when the API cannot be reached or answers with an error or invalid JSON
     */
    public ReleaseIndex list(String owner, String repo, ReleaseFilter filter) throws FetchException {
        URI next = URI.create(api + "/repos/" + checkName(owner) + "/" + checkName(repo) + "/releases?per_page=100");
        List<Release> all = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        while (next != null) {
            if (!seen.add(next) || seen.size() > MAX_PAGES) {
                throw new FetchException(next, next + ": the release list's pages never end (Link rel=\"next\" repeats)", null);
            }
            MemorySink sink = new MemorySink();
            HttpTransport.Response resp = HttpFetcher.get(transport, next, headers(), sink, PAGE_LIMIT,
                    new RateLimitCheck(token.isPresent()));
            try {
                for (Release r : ReleaseJson.page(new String(sink.bytes(), StandardCharsets.UTF_8))) {
                    if (filter.accepts(r)) {
                        all.add(r);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new FetchException(next, resp.status(), next + ": unexpected answer from the GitHub API: "
                        + e.getMessage(), e);
            }
            next = LinkHeader.next(resp.headers(), next).orElse(null);
        }
        return ReleaseIndex.of(all);
    }

    /**
     * The release tagged {@code tag} ({@code GET /repos/OWNER/REPO/releases/tags/TAG}), one request.
     *
     * @throws FetchException with status 404 when there is no such release
     */
    public Release release(String owner, String repo, String tag) throws FetchException {
        URI url = URI.create(api + "/repos/" + checkName(owner) + "/" + checkName(repo) + "/releases/tags/"
                + encodeTag(tag));
        MemorySink sink = new MemorySink();
        HttpTransport.Response resp = HttpFetcher.get(transport, url, headers(), sink, PAGE_LIMIT,
                new RateLimitCheck(token.isPresent()));
        try {
            return ReleaseJson.one(new String(sink.bytes(), StandardCharsets.UTF_8)).orElseThrow(
                    () -> new IllegalArgumentException("tag '" + tag + "' is not a version"));
        } catch (IllegalArgumentException e) {
            throw new FetchException(url, resp.status(), url + ": unexpected answer from the GitHub API: "
                    + e.getMessage(), e);
        }
    }

    private Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/vnd.github+json");
        h.put("X-GitHub-Api-Version", "2022-11-28");
        token.ifPresent(t -> h.put("Authorization", "Bearer " + t));
        return h;
    }

    private static String checkName(String s) {
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a GitHub owner or repository name");
        }
        return s;
    }

    private static String encodeTag(String tag) {
        if (!tag.matches("[A-Za-z0-9_.+/-]+")) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid tag");
        }
        return tag;
    }
}
