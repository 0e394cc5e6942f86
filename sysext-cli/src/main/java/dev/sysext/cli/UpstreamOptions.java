package dev.sysext.cli;

import dev.sysext.fetch.ArtifactFetcher;
import dev.sysext.fetch.DownloadCache;
import dev.sysext.fetch.GitHubReleases;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.HttpSettings;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.ProxySettings;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.UrlRewriter;
import dev.sysext.stage.LocalArtifact;
import dev.sysext.stage.Upstream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where upstream releases come from: URL rewriting (options and environment), proxies and the GitHub token. */
final class UpstreamOptions {
    @Option(names = "--rewrite-url", paramLabel = "PREFIX=REPLACEMENT",
            description = "Request URLs starting with PREFIX from REPLACEMENT instead (a mirror, a proxy); "
                    + "repeatable, first match wins; more rules in SYSEXT_REWRITE_URL (whitespace-separated).")
    List<String> rewriteRules = new ArrayList<>();

    /** The environment, replaceable in tests. */
    Map<String, String> environment = System.getenv();

    UrlRewriter rewriter() {
        try {
            return UrlRewriter.of(rewriteRules, environment.get(UrlRewriter.ENVIRONMENT_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage() + " (from --rewrite-url or "
                    + UrlRewriter.ENVIRONMENT_VARIABLE + ")");
        }
    }

    HttpFetcher http() {
        ProxySettings proxies;
        try {
            proxies = ProxySettings.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        }
        return new HttpFetcher(HttpSettings.defaults().withProxies(proxies), rewriter());
    }

    GitHubReleases github(HttpFetcher http) {
        return new GitHubReleases(http, GitHubReleases.tokenFromEnvironment(environment));
    }

    /** Inputs for recipes, with the user's keyring and local release archive when given. */
    Upstream upstream(Optional<Path> cache, Optional<Path> keyring, Optional<LocalArtifact> from,
                      ProgressListener progress) throws IOException {
        HttpFetcher http = http();
        DownloadCache downloads = new DownloadCache(cache.orElseGet(() -> DownloadCache.defaultDirectory(environment)));
        Optional<TrustedKeys> keys = Optional.empty();
        if (keyring.isPresent()) {
            keys = Optional.of(TrustedKeys.load(keyring.get()));
        }
        return new Upstream(http, github(http), new ArtifactFetcher(http, downloads), keys, from, progress);
    }
}
