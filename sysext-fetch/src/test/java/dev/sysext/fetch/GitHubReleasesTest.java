package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubReleasesTest {
    private FakeGitHub github;
    private HttpFetcher fetcher;

    @BeforeEach
    void start() throws Exception {
        github = FakeGitHub.start();
        fetcher = new HttpFetcher(HttpFetcherTest.fastSettings(), UrlRewriter.of(github.rewriteRules()));
        for (String tag : List.of("v1.7.28", "v1.7.29", "api/v1.9.0", "v2.0.6", "v2.0.7", "v2.1.5", "v2.2.0-rc.1",
                "v2.2.0", "v2.2.1", "v2.2.9", "v2.2.10", "v1.6.38")) {
            github.release("containerd", "containerd", tag)
                    .asset("containerd-" + tag.substring(tag.lastIndexOf('v') + 1) + "-linux-amd64.tar.gz",
                            tag.getBytes(StandardCharsets.UTF_8));
        }
        github.release("containerd", "containerd", "v2.3.0-beta.0").prerelease();
        github.release("containerd", "containerd", "v2.3.0").draft();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void listsAllPagesFilteredNewestFirst() throws Exception {
        github.pageSize(5);
        ReleaseIndex idx = new GitHubReleases(fetcher, Optional.empty())
                .list("containerd", "containerd", ReleaseFilter.defaults());
        assertEquals(List.of("2.2.10", "2.2.9", "2.2.1", "2.2.0", "2.1.5", "2.0.7", "2.0.6", "1.7.29", "1.7.28", "1.6.38"),
                idx.newestFirst().stream().map(r -> r.version().toString()).toList());
        // 14 releases at 5 per page: 3 pages, each found through Link rel="next".
        List<LoopbackServer.Request> pages = github.server().requests(FakeGitHub.releasesPath("containerd", "containerd"));
        assertEquals(3, pages.size());
        assertEquals(List.of("per_page=100", "per_page=5&page=2", "per_page=5&page=3"),
                pages.stream().map(LoopbackServer.Request::query).toList());
        for (LoopbackServer.Request r : pages) {
            assertEquals("application/vnd.github+json", r.header("Accept"));
            assertEquals("2022-11-28", r.header("X-GitHub-Api-Version"));
            assertNull(r.header("Authorization"));
        }
        assertEquals(List.of("2.2.10", "2.1.5", "2.0.7", "1.7.29", "1.6.38"),
                idx.newestPatchPerMinorLine(5).stream().map(r -> r.version().toString()).toList());
        Release r = idx.latest().orElseThrow();
        ReleaseAsset a = r.asset("containerd-2.2.10-linux-amd64.tar.gz").orElseThrow();
        assertEquals(URI.create("https://github.com/containerd/containerd/releases/download/v2.2.10/"
                + "containerd-2.2.10-linux-amd64.tar.gz"), a.url());
        assertEquals(7, a.size());
        assertEquals(Optional.of("sha256:" + LoopbackServer.sha256("v2.2.10".getBytes(StandardCharsets.UTF_8))), a.digest());
    }

    @Test
    void preReleasesAndApiTagsOnRequest() throws Exception {
        GitHubReleases gh = new GitHubReleases(fetcher, Optional.empty());
        List<String> withPre = gh.list("containerd", "containerd", ReleaseFilter.defaults().withPreReleases())
                .newestFirst().stream().map(Release::tag).toList();
        assertEquals("v2.3.0-beta.0", withPre.get(0));
        assertTrue(withPre.contains("v2.2.0-rc.1"));
        List<String> api = gh.list("containerd", "containerd", ReleaseFilter.defaults().withTagPattern("api/v.*"))
                .newestFirst().stream().map(Release::tag).toList();
        assertEquals(List.of("api/v1.9.0"), api);
    }

    @Test
    void theFakeServesLatestAsGitHubDoesAndOtherHostsThroughItsRules() throws Exception {
        // releases/latest: the newest published release that is neither a draft nor a pre-release.
        String latest = fetcher.fetchText(URI.create("https://api.github.com/repos/containerd/containerd/releases/latest"));
        assertTrue(latest.startsWith("{\"tag_name\":\"v1.6.38\""), latest);
        github.hostFile(URI.create("https://dl.example.org/files/a.sha256"), "abc\n".getBytes(StandardCharsets.UTF_8));
        HttpFetcher withHost = new HttpFetcher(HttpFetcherTest.fastSettings(), UrlRewriter.of(github.rewriteRules()));
        assertEquals("abc\n", withHost.fetchText(URI.create("https://dl.example.org/files/a.sha256")));
    }

    @Test
    void tokenIsSentAsBearer() throws Exception {
        new GitHubReleases(fetcher, GitHubReleases.tokenFromEnvironment(Map.of("GITHUB_TOKEN", " ghp_test \n")))
                .list("containerd", "containerd", ReleaseFilter.defaults());
        assertEquals("Bearer ghp_test", github.server().requests().get(0).header("Authorization"));
        assertTrue(GitHubReleases.tokenFromEnvironment(Map.of()).isEmpty());
        assertTrue(GitHubReleases.tokenFromEnvironment(Map.of("GITHUB_TOKEN", "")).isEmpty());
    }

    @Test
    void rateLimitSaysWhenItResetsAndHowToRaiseIt() {
        long reset = Instant.now().getEpochSecond() + 1800;
        github.rateLimitUntil(reset);
        RateLimitException e = assertThrows(RateLimitException.class, () -> new GitHubReleases(fetcher, Optional.empty())
                .list("containerd", "containerd", ReleaseFilter.defaults()));
        assertEquals(Optional.of(Instant.ofEpochSecond(reset)), e.resetsAt());
        assertEquals(403, e.status().getAsInt());
        assertTrue(e.getMessage().startsWith("GitHub API rate limit exceeded for "
                + "https://api.github.com/repos/containerd/containerd/releases?per_page=100 (HTTP 403, limit 60 requests per hour);"
                + " it resets at " + Instant.ofEpochSecond(reset) + " (in "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; set GITHUB_TOKEN to a GitHub token to raise the limit from 60 to 5,000"
                + " requests per hour"), e.getMessage());
        assertEquals(1, github.server().requests().size(), "a rate limit is not retried");
        RateLimitException withToken = assertThrows(RateLimitException.class,
                () -> new GitHubReleases(fetcher, Optional.of("t")).list("containerd", "containerd", ReleaseFilter.defaults()));
        assertTrue(withToken.getMessage().contains("the token's quota is used up"), withToken.getMessage());
    }

    @Test
    void oneReleaseByTag() throws Exception {
        Release r = new GitHubReleases(fetcher, Optional.empty()).release("containerd", "containerd", "v2.2.0");
        assertEquals("2.2.0", r.version().toString());
        assertEquals(1, r.assets().size());
        FetchException e = assertThrows(FetchException.class,
                () -> new GitHubReleases(fetcher, Optional.empty()).release("containerd", "containerd", "v9.9.9"));
        assertEquals(404, e.status().getAsInt());
    }

    @Test
    void unknownRepositoryIs404AndBadNamesAreRefused() {
        FetchException e = assertThrows(FetchException.class,
                () -> new GitHubReleases(fetcher, Optional.empty()).list("nobody", "nothing", ReleaseFilter.defaults()));
        assertEquals(404, e.status().getAsInt());
        assertTrue(e.getMessage().startsWith("https://api.github.com/repos/nobody/nothing/releases?per_page=100 (requested as "));
        assertThrows(IllegalArgumentException.class,
                () -> new GitHubReleases(fetcher, Optional.empty()).list("a/b", "c", ReleaseFilter.defaults()));
    }

    @Test
    void invalidJsonIsAFetchErrorNamingTheUrl() {
        github.server().route("/api/repos/x/y/releases", r -> LoopbackServer.Reply.json("[{\"tag_name\": 1", Map.of()));
        FetchException e = assertThrows(FetchException.class,
                () -> new GitHubReleases(fetcher, Optional.empty()).list("x", "y", ReleaseFilter.defaults()));
        assertTrue(e.getMessage().contains("unexpected answer from the GitHub API: invalid JSON"), e.getMessage());
    }

    @Test
    void tokenIsNotSentToAnotherHostOnRedirect() throws Exception {
        // An API answer that redirects elsewhere must not carry the token along.
        try (LoopbackServer other = LoopbackServer.start()) {
            other.route("/elsewhere", r -> LoopbackServer.Reply.json("[]", Map.of()));
            github.server().route("/api/repos/moved/repo/releases",
                    r -> LoopbackServer.Reply.redirect(301, other.uri("/elsewhere").toString()));
            new GitHubReleases(fetcher, Optional.of("secret")).list("moved", "repo", ReleaseFilter.defaults());
            assertEquals("Bearer secret", github.server().requests().get(0).header("Authorization"));
            assertNull(other.requests().get(0).header("Authorization"));
        }
    }
}
