package dev.sysext.fetch;

import java.io.IOException;

/**
 * Data failed verification: a checksum did not match, a checksum file had no entry for the file, a
 * signature was bad, made by an untrusted, expired or revoked key, or a keyring held none of the
 * pinned keys. The message names the file or URL and what did not match (expected and actual hash,
 * signer fingerprint). Never thrown for network trouble (see {@link FetchException}).
 */
public class VerificationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A verification failure described by {@code message}. */
    public VerificationException(String message) {
        super(message);
    }

    /** A verification failure described by {@code message}, caused by {@code cause}. */
    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
