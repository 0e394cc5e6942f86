package dev.sysext.fetch;

import dev.sysext.fetch.internal.pgp.Fingerprints;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a recipe's trust in OpenPGP keys comes from: the fingerprints it pins (facts in code) and
 * the pinned location of a keyring holding those keys. For runc: the maintainers' fingerprints and
 * {@code https://raw.githubusercontent.com/opencontainers/runc/main/runc.keyring}.
 *
 * @param keyring where to fetch the keyring (through the rewrite rules, like any URL)
 * @param fingerprints the trusted primary key fingerprints; keys of the keyring not listed are ignored
 */
public record TrustAnchor(URI keyring, List<String> fingerprints) {
    /** Normalises the fingerprints and refuses an empty list. */
    public TrustAnchor {
        Objects.requireNonNull(keyring);
        fingerprints = fingerprints.stream().map(Fingerprints::normalise).toList();
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("a trust anchor needs at least one fingerprint");
        }
    }

    /**
     * The keys to verify with: every key of {@code userKeyring} when the user gave one (it replaces
     * the pinned set, for mirrors that re-sign and for tests), else the pinned keys of the fetched
     * keyring.
     *
     * @throws VerificationException when a keyring is unusable or holds none of the pinned keys
     * @throws FetchException when the pinned keyring cannot be fetched
     */
    public TrustedKeys resolve(HttpFetcher fetcher, Optional<Path> userKeyring) throws IOException {
        if (userKeyring.isPresent()) {
            return TrustedKeys.load(userKeyring.get());
        }
        return TrustedKeys.fetchPinned(fetcher, keyring, fingerprints);
    }
}
