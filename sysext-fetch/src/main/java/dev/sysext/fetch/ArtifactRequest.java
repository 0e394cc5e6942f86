package dev.sysext.fetch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to download and how to prove it good, e.g. for runc:
 * <pre>{@code
 * ArtifactRequest.of(URI.create(base + "runc.amd64"))
 *     .verifiedBy(Verification.detachedSignature(URI.create(base + "runc.amd64.asc"), keys))
 *     .verifiedBy(Verification.signedChecksumFile(URI.create(base + "runc.sha256sum"), keys));
 * }</pre>
 *
 * @param url the artifact's URL (before rewriting)
 * @param fileName the name it is checked and cached under (the name in checksum files)
 * @param verifications all must pass
 */
public record ArtifactRequest(URI url, String fileName, List<Verification> verifications) {
    /** Copies the list. */
    public ArtifactRequest {
        Objects.requireNonNull(url);
        Objects.requireNonNull(fileName);
        verifications = List.copyOf(verifications);
    }

    /** A request for {@code url} named after its last path segment, with no verification yet. */
    public static ArtifactRequest of(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return new ArtifactRequest(url, path.substring(path.lastIndexOf('/') + 1), List.of());
    }

    /**
     * A request for a release asset, already verified by the GitHub API's {@code digest} when the
     * asset has one. The digest comes from the same service as the file: add a checksum file or a
     * signature as well where upstream publishes one.
     *
     * @throws IllegalArgumentException when the asset's digest is not a sha256:/sha512: digest
     */
    public static ArtifactRequest forAsset(ReleaseAsset asset) {
        ArtifactRequest r = new ArtifactRequest(asset.url(), asset.name(), List.of());
        return asset.digest().map(d -> r.verifiedBy(Verification.digest(d, "the GitHub API's digest of " + asset.name())))
                .orElse(r);
    }

    /** This request with one more verification. */
    public ArtifactRequest verifiedBy(Verification v) {
        List<Verification> all = new ArrayList<>(verifications);
        all.add(Objects.requireNonNull(v));
        return new ArtifactRequest(url, fileName, all);
    }
}
