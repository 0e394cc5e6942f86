package dev.sysext.fetch;

import java.nio.file.Path;
import java.util.List;

/**
 * A downloaded artifact that passed every verification of its request.
 *
 * @param path the file in the cache; do not modify it
 * @param evidence one line per passed verification (hash and its source, signer fingerprint)
 */
public record VerifiedArtifact(Path path, List<String> evidence) {
    /** Copies the list. */
    public VerifiedArtifact {
        evidence = List.copyOf(evidence);
    }
}
