package dev.sysext.fetch;

import java.time.Instant;
import java.util.List;

/**
 * A signature that verified with a trusted key.
 *
 * @param signerFingerprint the fingerprint of the key that made the signature (a subkey or the primary key)
 * @param primaryFingerprint the fingerprint of its primary key (the one trust is pinned on)
 * @param userIds the primary key's user IDs, e.g. {@code Aleksa Sarai <cyphar@cyphar.com>}
 * @param signedAt when the signature says it was made
 * @param source the signature's URL or file
 */
public record SignatureCheck(String signerFingerprint, String primaryFingerprint, List<String> userIds,
                             Instant signedAt, String source) {
    /** Copies the list. */
    public SignatureCheck {
        userIds = List.copyOf(userIds);
    }

    /** One line for logs: {@code SOURCE: good signature by FPR (USER ID) made TIME}. */
    public String describe() {
        return source + ": good signature by " + primaryFingerprint
                + (signerFingerprint.equals(primaryFingerprint) ? "" : " (subkey " + signerFingerprint + ")")
                + (userIds.isEmpty() ? "" : " " + userIds.get(0)) + " made " + signedAt;
    }
}
