package dev.sysext.stage;

import java.io.IOException;

/**
 * An input cannot be made into an image: an archive entry that escapes the tree or lands outside
 * {@code usr/} and {@code opt/}, a version upstream does not have, a local file that is missing. The
 * message names the input and the problem. Verification and network failures are reported as
 * {@link dev.sysext.fetch.VerificationException} and {@link dev.sysext.fetch.FetchException} instead.
 */
public class StageException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public StageException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public StageException(String message, Throwable cause) {
        super(message, cause);
    }
}
