package dev.sysext.stage;

import dev.sysext.fetch.ArtifactFetcher;
import dev.sysext.fetch.ArtifactRequest;
import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.Evidence;
import dev.sysext.fetch.GitHubReleases;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.HttpFetcher;
import dev.sysext.fetch.ProgressListener;
import dev.sysext.fetch.TrustedKeys;
import dev.sysext.fetch.VerificationException;
import dev.sysext.fetch.VerifiedArtifact;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where recipes get their inputs: the HTTP client (with the user's URL rewrite rules), the GitHub
 * release API, the verified download cache, the trusted keys, and the user's substitutes
 * ({@code --keyring}, {@code --from}). Recipes never download anything unverified through it.
 */
public final class Upstream {
    private final HttpFetcher http;
    private final GitHubReleases github;
    private final ArtifactFetcher artifacts;
    private final Optional<TrustedKeys> userKeys;
    private final Optional<LocalArtifact> localRelease;
    private final ProgressListener progress;

    /**
     * @param http the HTTP client, with the rewrite rules in force
     * @param github the release API client
     * @param artifacts fetches into the download cache and verifies
     * @param userKeys a keyring that replaces every recipe's pinned keys ({@code --keyring})
     * @param localRelease a local file that replaces the recipe's release archive ({@code --from})
     * @param progress told how downloads advance
     */
    public Upstream(HttpFetcher http, GitHubReleases github, ArtifactFetcher artifacts, Optional<TrustedKeys> userKeys,
                    Optional<LocalArtifact> localRelease, ProgressListener progress) {
        this.http = Objects.requireNonNull(http);
        this.github = Objects.requireNonNull(github);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.userKeys = Objects.requireNonNull(userKeys);
        this.localRelease = Objects.requireNonNull(localRelease);
        this.progress = Objects.requireNonNull(progress);
    }

    /** The HTTP client, for small documents (raw files, keyrings). */
    public HttpFetcher http() {
        return http;
    }

    /** The GitHub release API. */
    public GitHubReleases github() {
        return github;
    }

    /** Downloads {@code request} (or takes it from the cache) and verifies it. */
    public VerifiedArtifact fetch(ArtifactRequest request) throws IOException {
        return artifacts.fetch(request, progress);
    }

    /**
     * Like {@link #fetch}, for the recipe's main release archive, which the user may have given as a
     * local file instead; that file is checked against its {@code --sha256} when one was given.
     *
     * @throws StageException when the local file does not exist
     * @throws VerificationException when the local file does not have the given hash
     */
    public VerifiedArtifact fetchRelease(ArtifactRequest request) throws IOException {
        if (localRelease.isEmpty()) {
            return fetch(request);
        }
        LocalArtifact local = localRelease.get();
        if (!Files.isRegularFile(local.file())) {
            throw new StageException(local.file() + ": no such file (given with --from)");
        }
        if (local.sha256().isEmpty()) {
            return new VerifiedArtifact(local.file(), List.of(Evidence.unverified(local.file().toString(),
                    "no checksum given", Optional.of(request.url().toString()))));
        }
        Checksum expected;
        try {
            expected = new Checksum(HashAlgorithm.SHA256, local.sha256().get(), "the checksum given with --sha256");
        } catch (IllegalArgumentException e) {
            throw new StageException(e.getMessage(), e);
        }
        expected.verify(local.file(), local.file().toString());
        return new VerifiedArtifact(local.file(), List.of(Evidence.localFile(local.file().toString(), expected,
                request.url().toString())));
    }

    /** Whether the user replaced the recipe's release archive with a local file. */
    public boolean hasLocalRelease() {
        return localRelease.isPresent();
    }

    /**
     * The keys a recipe trusts: the user's keyring when one was given, else the keys with the
     * recipe's pinned {@code fingerprints} from the keyring at {@code keyring}.
     *
     * @param what whose keys these are, for messages ({@code runc maintainers})
     * @throws VerificationException when no key can be trusted: no fingerprints are pinned and no
     *     keyring was given, or the fetched keyring holds none of the pinned keys
     */
    public TrustedKeys trustedKeys(String what, URI keyring, Collection<String> fingerprints) throws IOException {
        if (userKeys.isPresent()) {
            return userKeys.get();
        }
        if (fingerprints.isEmpty()) {
            throw new VerificationException("no trusted keys for the " + what + ": pass --keyring FILE with their "
                    + "public keys (signature verification is never skipped)");
        }
        try {
            return TrustedKeys.fetchPinned(http, keyring, fingerprints);
        } catch (VerificationException e) {
            throw new VerificationException("the " + what + "' keyring cannot be trusted: " + e.getMessage()
                    + "; pass --keyring FILE with their public keys", e);
        }
    }
}
