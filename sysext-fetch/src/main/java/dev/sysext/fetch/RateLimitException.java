package dev.sysext.fetch;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The GitHub API refused a request because the rate limit is used up. The message says when the
 * limit resets and how to raise it (a {@code GITHUB_TOKEN}).
 */
public final class RateLimitException extends FetchException {
    private static final long serialVersionUID = 1L;

    private final transient Instant resetsAt;

    /** A rate-limit refusal of {@code url} with {@code status}, resetting at {@code resetsAt} if known. */
    public RateLimitException(URI url, int status, Instant resetsAt, String message) {
        super(url, status, message, null);
        this.resetsAt = resetsAt;
    }

    /** When GitHub said the limit resets ({@code x-ratelimit-reset}), if it said so. */
    public Optional<Instant> resetsAt() {
        return Optional.ofNullable(resetsAt);
    }
}
