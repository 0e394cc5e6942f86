package dev.sysext.fetch.internal.github;

import dev.sysext.fetch.FetchException;
import dev.sysext.fetch.RateLimitException;
import dev.sysext.fetch.internal.http.HttpTransport;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/** Recognises GitHub's rate-limit refusals and says when the limit resets and how to raise it. */
public final class RateLimitCheck implements HttpTransport.StatusCheck {
    private final boolean withToken;

    /** @param withToken whether requests carry a token (the advice differs) */
    public RateLimitCheck(boolean withToken) {
        this.withToken = withToken;
    }

    @Override
    public FetchException refuse(URI url, URI requested, int status, HttpHeaders headers) {
        if (status != 403 && status != 429) {
            return null;
        }
        boolean exhausted = headers.firstValue("x-ratelimit-remaining").map(String::trim).filter("0"::equals).isPresent();
        OptionalLong retryAfter = HttpTransport.seconds(headers, "Retry-After");
        if (!exhausted && retryAfter.isEmpty()) {
            return null;
        }
        Instant now = Instant.now();
        OptionalLong reset = HttpTransport.seconds(headers, "x-ratelimit-reset");
        Instant resetsAt = reset.isPresent() ? Instant.ofEpochSecond(reset.getAsLong())
                : retryAfter.isPresent() ? now.plusSeconds(retryAfter.getAsLong()) : null;
        StringBuilder sb = new StringBuilder("GitHub API rate limit exceeded for ").append(url)
                .append(" (HTTP ").append(status);
        headers.firstValue("x-ratelimit-limit").ifPresent(l -> sb.append(", limit ").append(l).append(" requests per hour"));
        sb.append(")");
        if (resetsAt != null) {
            long minutes = Math.max(0, (Duration.between(now, resetsAt).getSeconds() + 59) / 60);
            sb.append("; it resets at ").append(resetsAt).append(" (in ").append(minutes)
                    .append(minutes == 1 ? " minute)" : " minutes)");
        }
        sb.append(withToken
                ? "; the token's quota is used up: wait for the reset or use another token"
                : "; set GITHUB_TOKEN to a GitHub token to raise the limit from 60 to 5,000 requests per hour");
        return new RateLimitException(url, status, resetsAt, sb.toString());
    }
}
