package dev.sysext.fetch.testing;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server posing as GitHub: the releases API ({@code api.github.com}, paginated with
 * {@code Link} headers, rate limiting on demand), release downloads ({@code github.com}, redirecting
 * to {@code objects.githubusercontent.com} as GitHub does) and raw files
 * ({@code raw.githubusercontent.com}), plus files of any other host ({@link #hostFile}). The API
 * answers {@code releases}, {@code releases/latest} (the newest-added release that is neither a draft
 * nor a pre-release) and {@code releases/tags/TAG}. Everything it returns names the real GitHub URLs, so clients
 * reach it only through the rewrite rules of {@link #rewriteRules()}, exactly as users point the
 * tool at a mirror. Faults can be injected with {@link #server()}{@code .fail(path, ...)}; the paths
 * are {@link #downloadPath}, {@link #objectPath}, {@link #releasesPath} and {@code /raw/...}.
 *
 * <pre>{@code
 * try (FakeGitHub gh = FakeGitHub.start()) {
 *     TestKey key = TestKey.generate("Test Maintainer <t@example.org>");
 *     gh.release("containerd", "containerd", "v2.2.0")
 *             .asset("containerd-static-2.2.0-linux-amd64.tar.gz", tarball)
 *             .asset("containerd-static-2.2.0-linux-amd64.tar.gz.sha256sum", sumLine);
 *     gh.rawFile("containerd/containerd/refs/tags/v2.2.0/script/setup/runc-version", "v1.3.3\n".getBytes());
 *     gh.release("opencontainers", "runc", "v1.3.3").asset("runc.amd64", runc)
 *             .asset("runc.amd64.asc", key.signDetached(runc, true))
 *             .asset("runc.sha256sum", key.clearSign(sha256(runc) + "  runc.amd64\n"));
 *     // CLI: for (String rule : gh.rewriteRules()) args.add("--rewrite-url=" + rule);
 *     //      plus --keyring FILE holding key.publicKeyring()
 * }
 * }</pre>
 *
 * <p>Reuse from another module's tests: depend on {@code sysext-fetch} with
 * {@code <type>test-jar</type>} and {@code <scope>test</scope>}; the jar holds only this package
 * (used from the class path it needs no JPMS flags; inside this module the tests add
 * {@code --add-reads dev.sysext.fetch=jdk.httpserver}).
 */
public final class FakeGitHub implements AutoCloseable {
    /** A release to publish. */
    public static final class Release {
        final String tag;
        boolean draft;
        boolean prerelease;
        final Map<String, byte[]> assets = new LinkedHashMap<>();
        final Map<String, Boolean> withDigest = new LinkedHashMap<>();
        final Map<String, String> digests = new LinkedHashMap<>();
        final Map<String, Long> ids = new LinkedHashMap<>();

        Release(String tag) {
            this.tag = tag;
        }

        /** Marks it a draft. */
        public Release draft() {
            draft = true;
            return this;
        }

        /** Marks it a pre-release. */
        public Release prerelease() {
            prerelease = true;
            return this;
        }

        /** Attaches an asset; the API reports its sha256 digest. */
        public Release asset(String name, byte[] content) {
            assets.put(name, content);
            withDigest.put(name, true);
            return this;
        }

        /** Attaches an asset the API reports without digest (older assets), or with a wrong one. */
        public Release assetWithDigest(String name, byte[] content, String digestOrNull) {
            assets.put(name, content);
            withDigest.put(name, false);
            digests.put(name, digestOrNull);
            return this;
        }
    }

    private final LoopbackServer server;
    private final Map<String, List<Release>> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile int pageSize = 100;
    private volatile long rateLimitedUntil;

    private FakeGitHub() throws IOException {
        server = LoopbackServer.start();
        server.prefix("/api/repos/", this::api);
        server.prefix("/gh/", this::download);
        server.prefix("/objects/", r -> {
            byte[] b = objects.get(r.path());
            return b == null ? LoopbackServer.Reply.status(404, Map.of(), "no object") : LoopbackServer.Reply.bytes(b);
        });
    }

    /** Starts the fake on an ephemeral loopback port. */
    public static FakeGitHub start() throws IOException {
        return new FakeGitHub();
    }

    /** The underlying server, for faults, extra routes and the request log. */
    public LoopbackServer server() {
        return server;
    }

    /**
     * Rewrite rules (PREFIX=REPLACEMENT) that send GitHub's URLs here, and those of every other host
     * given a file with {@link #hostFile}.
     */
    public List<String> rewriteRules() {
        String b = server.base().toString();
        List<String> rules = new ArrayList<>(List.of("https://api.github.com=" + b + "/api",
                "https://github.com=" + b + "/gh",
                "https://raw.githubusercontent.com=" + b + "/raw",
                "https://objects.githubusercontent.com=" + b + "/objects"));
        hosts.stream().sorted().forEach(h -> rules.add("https://" + h + "=" + b + "/hosts/" + h));
        return rules;
    }

    /**
     * Serves {@code content} at {@code url} of another host (dl.k8s.io, releases.hashicorp.com ...),
     * reached through the rule {@link #rewriteRules()} then adds for that host.
     *
     * @throws IllegalArgumentException when {@code url} is not an https URL with a path
     */
    public void hostFile(URI url, byte[] content) {
        if (!"https".equals(url.getScheme()) || url.getHost() == null || url.getRawPath() == null) {
            throw new IllegalArgumentException("not an https URL with a host and a path: " + url);
        }
        hosts.add(url.getHost());
        server.file(hostPath(url), content);
    }

    /** The server path of {@code url} of another host, for faults. */
    public static String hostPath(URI url) {
        return "/hosts/" + url.getHost() + url.getRawPath();
    }

    /** Publishes a release of {@code owner/repo} (listed newest-added first, as GitHub lists by date). */
    public Release release(String owner, String repo, String tag) {
        Release r = new Release(tag);
        repos.computeIfAbsent(owner + "/" + repo, k -> Collections.synchronizedList(new ArrayList<>())).add(0, r);
        return r;
    }

    /** Serves {@code content} at {@code https://raw.githubusercontent.com/PATH} ({@code path} without leading slash). */
    public void rawFile(String path, byte[] content) {
        server.file("/raw/" + path, content);
    }

    /** Releases per page at most (the client's {@code per_page} applies when smaller). */
    public void pageSize(int n) {
        pageSize = n;
    }

    /** Refuses API requests with 403 and {@code x-ratelimit-remaining: 0} until {@code epochSecond}. */
    public void rateLimitUntil(long epochSecond) {
        rateLimitedUntil = epochSecond;
    }

    /** The server path of the API's release list of {@code owner/repo}. */
    public static String releasesPath(String owner, String repo) {
        return "/api/repos/" + owner + "/" + repo + "/releases";
    }

    /** The server path of a release download (which redirects). */
    public static String downloadPath(String owner, String repo, String tag, String name) {
        return "/gh/" + owner + "/" + repo + "/releases/download/" + tag + "/" + name;
    }

    /** The server path a download redirects to (after rewriting). Valid once the asset was downloaded or listed. */
    public String objectPath(String owner, String repo, String tag, String name) {
        Release r = find(owner, repo, tag);
        return "/objects/github-production-release-asset/" + id(r, name) + "/" + name;
    }

    /** The public URL of an asset, as {@code browser_download_url} gives it. */
    public static URI assetUrl(String owner, String repo, String tag, String name) {
        return URI.create("https://github.com/" + owner + "/" + repo + "/releases/download/" + tag + "/" + name);
    }

    @Override
    public void close() {
        server.close();
    }

    private long id(Release r, String name) {
        synchronized (r) {
            Long id = r.ids.get(name);
            if (id == null) {
                id = ids.incrementAndGet();
                r.ids.put(name, id);
                objects.put("/objects/github-production-release-asset/" + id + "/" + name, r.assets.get(name));
            }
            return id;
        }
    }

    private Release find(String owner, String repo, String tag) {
        List<Release> list = repos.getOrDefault(owner + "/" + repo, List.of());
        synchronized (list) {
            return list.stream().filter(r -> r.tag.equals(tag)).findFirst().orElse(null);
        }
    }

    private LoopbackServer.Reply download(LoopbackServer.Request req) {
        String[] p = req.path().substring("/gh/".length()).split("/", 5);
        if (p.length == 5 && p[2].equals("releases") && p[3].equals("download")) {
            String rest = p[4];
            int slash = rest.lastIndexOf('/');
            Release r = slash < 0 ? null : find(p[0], p[1], rest.substring(0, slash));
            String name = slash < 0 ? null : rest.substring(slash + 1);
            if (r != null && r.assets.containsKey(name)) {
                return LoopbackServer.Reply.redirect(302, "https://objects.githubusercontent.com"
                        + objectPath(p[0], p[1], r.tag, name).substring("/objects".length()) + "?sig=test");
            }
        }
        return LoopbackServer.Reply.status(404, Map.of(), "Not Found");
    }

    private LoopbackServer.Reply api(LoopbackServer.Request req) {
        long now = System.currentTimeMillis() / 1000;
        if (rateLimitedUntil > now) {
            return LoopbackServer.Reply.status(403, Map.of("x-ratelimit-limit", "60", "x-ratelimit-remaining", "0",
                    "x-ratelimit-reset", Long.toString(rateLimitedUntil)),
                    "{\"message\":\"API rate limit exceeded\"}");
        }
        String[] p = req.path().substring("/api/repos/".length()).split("/", 5);
        if (p.length < 3 || !p[2].equals("releases")) {
            return LoopbackServer.Reply.status(404, Map.of(), "{\"message\":\"Not Found\"}");
        }
        List<Release> all;
        List<Release> list = repos.get(p[0] + "/" + p[1]);
        if (list == null) {
            return LoopbackServer.Reply.status(404, Map.of(), "{\"message\":\"Not Found\"}");
        }
        synchronized (list) {
            all = List.copyOf(list);
        }
        if (p.length == 4 && p[3].equals("latest")) {
            return all.stream().filter(r -> !r.draft && !r.prerelease).findFirst()
                    .map(r -> LoopbackServer.Reply.json(json(p[0], p[1], r), Map.of()))
                    .orElse(LoopbackServer.Reply.status(404, Map.of(), "{\"message\":\"Not Found\"}"));
        }
        if (p.length == 5 && p[3].equals("tags")) {
            return all.stream().filter(r -> r.tag.equals(p[4])).findFirst()
                    .map(r -> LoopbackServer.Reply.json(json(p[0], p[1], r), Map.of()))
                    .orElse(LoopbackServer.Reply.status(404, Map.of(), "{\"message\":\"Not Found\"}"));
        }
        Map<String, String> query = query(req.query());
        int per = Math.min(pageSize, Integer.parseInt(query.getOrDefault("per_page", "30")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int from = Math.min(all.size(), (page - 1) * per);
        int to = Math.min(all.size(), from + per);
        StringBuilder sb = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            sb.append(i > from ? "," : "").append(json(p[0], p[1], all.get(i)));
        }
        sb.append("]");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit", "60");
        headers.put("x-ratelimit-remaining", "59");
        if (to < all.size()) {
            String base = "https://api.github.com/repos/" + p[0] + "/" + p[1] + "/releases?per_page=" + per + "&page=";
            int last = (all.size() + per - 1) / per;
            headers.put("Link", "<" + base + (page + 1) + ">; rel=\"next\", <" + base + last + ">; rel=\"last\"");
        }
        return LoopbackServer.Reply.json(sb.toString(), headers);
    }

    private String json(String owner, String repo, Release r) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"tag_name\":\"").append(r.tag).append("\",\"name\":\"").append(r.tag)
                .append("\",\"draft\":").append(r.draft).append(",\"prerelease\":").append(r.prerelease)
                .append(",\"published_at\":\"2025-11-05T12:00:00Z\",\"assets\":[");
        boolean first = true;
        for (Map.Entry<String, byte[]> a : r.assets.entrySet()) {
            id(r, a.getKey());
            sb.append(first ? "" : ",").append("{\"name\":\"").append(a.getKey())
                    .append("\",\"size\":").append(a.getValue().length)
                    .append(",\"browser_download_url\":\"").append(assetUrl(owner, repo, r.tag, a.getKey())).append('"');
            String digest = Boolean.TRUE.equals(r.withDigest.get(a.getKey()))
                    ? "sha256:" + LoopbackServer.sha256(a.getValue()) : r.digests.get(a.getKey());
            sb.append(",\"digest\":").append(digest == null ? "null" : "\"" + digest + "\"").append('}');
            first = false;
        }
        return sb.append("]}").toString();
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        if (q != null) {
            for (String kv : q.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return m;
    }
}
