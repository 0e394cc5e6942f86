package dev.sysext.fetch;

import java.util.Objects;
import java.util.Optional;

/**
 * One check an input of a build passed: what was checked, the kind of check, against what, by which
 * key, with which result. Evidence is never made for a failed check (that throws a
 * {@link VerificationException}); the one exception is {@link Kind#UNVERIFIED}, which records that
 * the user chose to use an input without any check.
 *
 * <p>Which optional parts are present depends on the {@link #kind()}:
 * <table>
 * <caption>Parts by kind</caption>
 * <tr><th>kind</th><th>{@code reference}</th><th>{@code checksum}</th><th>{@code signature}</th>
 *     <th>{@code version}</th></tr>
 * <tr><td>{@link Kind#CHECKSUM_FILE}</td><td>the checksum file's URL</td><td>yes</td>
 *     <td>when the file was clear-signed</td><td>-</td></tr>
 * <tr><td>{@link Kind#DETACHED_SIGNATURE}</td><td>the signature's URL</td><td>-</td><td>yes</td><td>-</td></tr>
 * <tr><td>{@link Kind#RELEASE_ASSET_DIGEST}, {@link Kind#PINNED_DIGEST}</td><td>where the digest was
 *     read</td><td>yes</td><td>-</td><td>-</td></tr>
 * <tr><td>{@link Kind#DERIVED_VERSION}</td><td>where the version comes from (a phrase: "pinned in URL")</td><td>-</td><td>-</td>
 *     <td>yes</td></tr>
 * <tr><td>{@link Kind#UNVERIFIED}</td><td>why it was allowed</td><td>-</td><td>-</td><td>-</td></tr>
 * </table>
 *
 * @param kind the kind of check
 * @param subject what was checked: the artifact's URL or file, or for {@link Kind#DERIVED_VERSION}
 *     the component's name
 * @param reference against what: the checksum file's or signature's URL, the source of a digest, the
 *     file a version was read from, or (unverified) why no check was made
 * @param checksum the expected hash that the artifact's bytes matched
 * @param signature the OpenPGP signature that verified (a detached signature, or the clear signature
 *     of a checksum file), with the key that made it
 * @param version the version found ({@link Kind#DERIVED_VERSION})
 * @param inPlaceOf the URL a local file was used in place of ({@code --from})
 */
public record Evidence(Kind kind, String subject, Optional<String> reference, Optional<Checksum> checksum,
                       Optional<SignatureCheck> signature, Optional<String> version, Optional<String> inPlaceOf) {
    /** The kinds of check. */
    public enum Kind {
        /**
         * The artifact's hash matched its entry in a checksum file (GNU or BSD {@code sha256sum}
         * style, one bare hash, or an aggregated {@code SHA256SUMS}); clear-signed when
         * {@link #signature()} is present.
         */
        CHECKSUM_FILE,
        /** A detached OpenPGP signature over the artifact verified with a trusted (pinned) key. */
        DETACHED_SIGNATURE,
        /** The artifact's hash matched the {@code digest} the GitHub releases API gives for the asset. */
        RELEASE_ASSET_DIGEST,
        /** The artifact's hash matched a hash known in advance (pinned in a recipe, or {@code --sha256}). */
        PINNED_DIGEST,
        /** A version was read from a file of another, verified input (containerd's {@code runc-version}). */
        DERIVED_VERSION,
        /** The user chose to use the artifact without any check; never made without the user asking. */
        UNVERIFIED
    }

    /** Checks that the parts fit the kind. */
    public Evidence {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(reference);
        Objects.requireNonNull(checksum);
        Objects.requireNonNull(signature);
        Objects.requireNonNull(version);
        Objects.requireNonNull(inPlaceOf);
        boolean fits = switch (kind) {
            case CHECKSUM_FILE -> checksum.isPresent() && reference.isPresent();
            case RELEASE_ASSET_DIGEST, PINNED_DIGEST -> checksum.isPresent() && signature.isEmpty();
            case DETACHED_SIGNATURE -> signature.isPresent() && checksum.isEmpty();
            case DERIVED_VERSION -> version.isPresent() && reference.isPresent();
            case UNVERIFIED -> checksum.isEmpty() && signature.isEmpty();
        };
        if (!fits) {
            throw new IllegalArgumentException("evidence of kind " + kind + " with the wrong parts: " + subject);
        }
    }

    /**
     * {@code subject}'s hash matched an entry of the checksum file at {@code checksum.source()},
     * which {@code clearSignedBy} signed when present.
     */
    public static Evidence checksumFile(String subject, Checksum checksum, Optional<SignatureCheck> clearSignedBy) {
        return new Evidence(Kind.CHECKSUM_FILE, subject, Optional.of(checksum.source()), Optional.of(checksum),
                clearSignedBy, Optional.empty(), Optional.empty());
    }

    /** A detached signature over {@code subject} verified ({@code signature.source()} is its URL). */
    public static Evidence detachedSignature(String subject, SignatureCheck signature) {
        return new Evidence(Kind.DETACHED_SIGNATURE, subject, Optional.of(signature.source()), Optional.empty(),
                Optional.of(signature), Optional.empty(), Optional.empty());
    }

    /** {@code subject}'s hash matched the GitHub releases API's {@code digest} of the asset. */
    public static Evidence releaseAssetDigest(String subject, Checksum checksum) {
        return new Evidence(Kind.RELEASE_ASSET_DIGEST, subject, Optional.of(checksum.source()), Optional.of(checksum),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code subject}'s hash matched a hash known in advance. */
    public static Evidence pinnedDigest(String subject, Checksum checksum) {
        return new Evidence(Kind.PINNED_DIGEST, subject, Optional.of(checksum.source()), Optional.of(checksum),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * A local file given in place of {@code url} had the hash the user gave ({@code --from} with
     * {@code --sha256}).
     */
    public static Evidence localFile(String file, Checksum checksum, String url) {
        return new Evidence(Kind.PINNED_DIGEST, file, Optional.of(checksum.source()), Optional.of(checksum),
                Optional.empty(), Optional.empty(), Optional.of(url));
    }

    /**
     * {@code component}'s {@code version} was not asked for but derived: read from a verified input,
     * taken as another upstream's newest release, or recorded by the build being reproduced.
     *
     * @param origin where the version comes from, as a phrase a reader understands after the version
     *     ({@code pinned in containerd v2.2.0's script/setup/runc-version}, {@code the newest of ...})
     */
    public static Evidence derivedVersion(String component, String version, String origin) {
        return new Evidence(Kind.DERIVED_VERSION, component, Optional.of(origin), Optional.empty(),
                Optional.empty(), Optional.of(version), Optional.empty());
    }

    /**
     * {@code subject} was used without any check, because the user said so.
     *
     * @param why the user's choice, e.g. {@code no checksum given}
     * @param inPlaceOf the URL a local file replaced, if it did
     */
    public static Evidence unverified(String subject, String why, Optional<String> inPlaceOf) {
        return new Evidence(Kind.UNVERIFIED, subject, Optional.of(why), Optional.empty(), Optional.empty(),
                Optional.empty(), inPlaceOf);
    }

    /** Whether a check was made and passed: false only for {@link Kind#UNVERIFIED}. */
    public boolean verified() {
        return kind != Kind.UNVERIFIED;
    }

    /**
     * The fingerprint of the primary key that signed, when a signature was checked (the key trust is
     * pinned on).
     */
    public Optional<String> signerFingerprint() {
        return signature.map(SignatureCheck::primaryFingerprint);
    }

    /**
     * One line for people, as {@code sysext create} prints it after {@code verified: }, e.g.
     * {@code URL: sha256 HEX matches URL.sha256sum} or {@code runc v1.3.3: pinned in ...}.
     */
    public String describe() {
        return switch (kind) {
            case CHECKSUM_FILE, RELEASE_ASSET_DIGEST, PINNED_DIGEST -> {
                Checksum c = checksum.orElseThrow();
                yield subject + ": " + c.algorithm().label() + " " + c.hex() + " matches " + c.source()
                        + signature.map(s -> ", signed by " + s.primaryFingerprint()).orElse("")
                        + inPlaceOf.map(u -> " (in place of " + u + ")").orElse("");
            }
            case DETACHED_SIGNATURE -> signature.orElseThrow().describe();
            case DERIVED_VERSION -> subject + " " + version.orElseThrow() + ": " + reference.orElseThrow();
            case UNVERIFIED -> subject + inPlaceOf.map(u -> ": local file given in place of " + u + ",").orElse(":")
                    + " NOT verified (" + reference.orElse("by the user's choice") + ")";
        };
    }
}
