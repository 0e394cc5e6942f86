package dev.sysext.fetch;

import java.nio.file.Path;
import java.util.List;

/**
 * A downloaded artifact that passed every verification of its request.
 *
 * @param path the file in the cache; do not modify it
 * @param evidence one entry per passed verification, in the order of the request's verifications
 */
public record VerifiedArtifact(Path path, List<Evidence> evidence) {
    /** Copies the list. */
    public VerifiedArtifact {
        evidence = List.copyOf(evidence);
    }
}
