package dev.sysext.fetch;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network or HTTP failure: the server could not be reached, answered with an error status, sent
 * too much or too little, or redirected in a loop. The message names the URL (and the rewritten URL
 * actually requested, when different) and the HTTP status when there was one. Callers map it to a
 * "network error" outcome; it never means that data failed verification (see
 * {@link VerificationException}).
 */
public class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient URI url;
    private final int status;

    /** A failure for {@code url} without an HTTP status (connection, timeout, size, redirects). */
    public FetchException(URI url, String message, Throwable cause) {
        this(url, -1, message, cause);
    }

    /** A failure for {@code url} with the HTTP status the server sent ({@code -1} for none). */
    public FetchException(URI url, int status, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
    }

    /** The URL as the caller asked for it (before rewriting), if known. */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /** The HTTP status of the failing response, if the failure was an HTTP status. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
