package dev.sysext.fetch;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One way an artifact is proven good; an {@link ArtifactRequest} needs at least one, and all must pass.
 */
public sealed interface Verification {
    /**
     * A hash known in advance: a pinned value, or the GitHub API's asset {@code digest}.
     *
     * @param expected the hash
     * @param releaseAssetDigest whether it is the GitHub releases API's {@code digest} of the asset
     *     ({@link Evidence.Kind#RELEASE_ASSET_DIGEST}) rather than a pinned value
     *     ({@link Evidence.Kind#PINNED_DIGEST})
     */
    record Digest(Checksum expected, boolean releaseAssetDigest) implements Verification {
        /** Checks for null. */
        public Digest {
            Objects.requireNonNull(expected);
        }

        /** A pinned hash. */
        public Digest(Checksum expected) {
            this(expected, false);
        }
    }

    /**
     * A checksum file at {@code url} with an entry for the artifact; if {@code clearSignedBy} is given,
     * the file must be clear-signed by one of those keys and only its signed text is used.
     */
    record ChecksumFileAt(URI url, Optional<TrustedKeys> clearSignedBy) implements Verification {
        /** Checks for nulls. */
        public ChecksumFileAt {
            Objects.requireNonNull(url);
            Objects.requireNonNull(clearSignedBy);
        }
    }

    /** A detached OpenPGP signature at {@code url} that one of {@code keys} must have made. */
    record DetachedSignatureAt(URI url, TrustedKeys keys) implements Verification {
        /** Checks for nulls. */
        public DetachedSignatureAt {
            Objects.requireNonNull(url);
            Objects.requireNonNull(keys);
        }
    }

    /** A known SHA-256 in hex. */
    static Verification sha256(String hex, String source) {
        return new Digest(new Checksum(HashAlgorithm.SHA256, hex, source));
    }

    /** A digest such as {@code sha256:<hex>}, e.g. a {@link ReleaseAsset#digest()}. */
    static Verification digest(String digest, String source) {
        return new Digest(Checksum.parseDigest(digest, source), true);
    }

    /** An unsigned checksum file (containerd's {@code .sha256sum}, Kubernetes' {@code .sha256}). */
    static Verification checksumFile(URI url) {
        return new ChecksumFileAt(url, Optional.empty());
    }

    /** A clear-signed checksum file (runc's {@code runc.sha256sum}). */
    static Verification signedChecksumFile(URI url, TrustedKeys keys) {
        return new ChecksumFileAt(url, Optional.of(keys));
    }

    /** A detached signature (runc's {@code runc.amd64.asc}). */
    static Verification detachedSignature(URI url, TrustedKeys keys) {
        return new DetachedSignatureAt(url, keys);
    }
}
