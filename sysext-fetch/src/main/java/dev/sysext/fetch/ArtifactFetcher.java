package dev.sysext.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Downloads artifacts into a {@link DownloadCache} and returns them only once every verification of
 * the request passes. Checksum files and signatures are fetched fresh each time (they are small), so
 * a cached artifact is re-verified against current references, not against cached ones.
 */
public final class ArtifactFetcher {
    private final HttpFetcher fetcher;
    private final DownloadCache cache;

    /** Fetches with {@code fetcher} into {@code cache}. */
    public ArtifactFetcher(HttpFetcher fetcher, DownloadCache cache) {
        this.fetcher = fetcher;
        this.cache = cache;
    }

    /**
     * The verified artifact, from the cache or freshly downloaded.
     *
     * @throws IllegalArgumentException when the request has no verification (nothing unverified is used)
     * @throws VerificationException when a checksum or signature does not match, naming both sides
     * @throws FetchException when the artifact or a reference file cannot be fetched
     */
    public VerifiedArtifact fetch(ArtifactRequest request, ProgressListener progress) throws IOException {
        if (request.verifications().isEmpty()) {
            throw new IllegalArgumentException(request.url() + ": no verification given; refusing to use unverified data");
        }
        List<Check> checks = new ArrayList<>();
        for (Verification v : request.verifications()) {
            checks.add(resolve(v, request));
        }
        String name = request.url().toString();
        List<Evidence> evidence = new ArrayList<>();
        Path path = cache.obtain(request.url(), request.fileName(),
                tmp -> fetcher.downloadResuming(request.url(), tmp, progress),
                candidate -> {
                    evidence.clear();
                    for (Check c : checks) {
                        evidence.add(c.verify(candidate, name));
                    }
                });
        return new VerifiedArtifact(path, evidence);
    }

    /**
     * Downloads {@code url} (or takes it from the cache) with NO verification, for an artifact whose
     * upstream publishes nothing to check it against and whose user explicitly accepted that. The
     * caller must say so wherever the artifact is reported.
     *
     * @throws FetchException when the artifact cannot be fetched
     */
    public Path fetchUnverified(URI url, String fileName, ProgressListener progress) throws IOException {
        return cache.obtain(url, fileName, tmp -> fetcher.download(url, tmp, progress), candidate -> { });
    }

    /** A verification with its reference material fetched. */
    @FunctionalInterface
    private interface Check {
        Evidence verify(Path file, String name) throws IOException;
    }

    private Check resolve(Verification v, ArtifactRequest request) throws IOException {
        if (v instanceof Verification.Digest d) {
            return (file, name) -> {
                d.expected().verify(file, name);
                return d.releaseAssetDigest() ? Evidence.releaseAssetDigest(name, d.expected())
                        : Evidence.pinnedDigest(name, d.expected());
            };
        }
        if (v instanceof Verification.ChecksumFileAt c) {
            byte[] bytes = fetcher.fetchBytes(c.url(), HttpFetcher.SMALL_DOCUMENT_LIMIT);
            String text;
            Optional<SignatureCheck> signedBy = Optional.empty();
            if (c.clearSignedBy().isPresent()) {
                ClearSignedText signed = c.clearSignedBy().get().verifyClearSigned(bytes, c.url().toString());
                text = signed.text();
                signedBy = Optional.of(signed.signature());
            } else {
                text = new String(bytes, StandardCharsets.UTF_8);
            }
            Checksum expected = ChecksumFile.parse(text, c.url().toString()).expectedFor(request.fileName());
            Optional<SignatureCheck> signature = signedBy;
            return (file, name) -> {
                expected.verify(file, name);
                return Evidence.checksumFile(name, expected, signature);
            };
        }
        Verification.DetachedSignatureAt s = (Verification.DetachedSignatureAt) v;
        byte[] signature = fetcher.fetchBytes(s.url(), HttpFetcher.SMALL_DOCUMENT_LIMIT);
        return (file, name) -> Evidence.detachedSignature(name,
                s.keys().verifyDetached(file, signature, s.url().toString()));
    }
}
