package dev.sysext.stage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A local file to use instead of downloading a recipe's release archive ({@code sysext create --from}).
 *
 * @param file the archive
 * @param sha256 its expected SHA-256 in hex; when empty the file is used as the user vouches for it
 */
public record LocalArtifact(Path file, Optional<String> sha256) {
    /** Checks for nulls. */
    public LocalArtifact {
        Objects.requireNonNull(file);
        Objects.requireNonNull(sha256);
    }
}
