package dev.sysext.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
        Set<HashAlgorithm> algorithms = EnumSet.noneOf(HashAlgorithm.class);
        for (Verification v : request.verifications()) {
            Check c = resolve(v, request);
            checks.add(c);
            c.algorithm().ifPresent(algorithms::add);
        }
        String name = request.url().toString();
        List<Evidence> evidence = new ArrayList<>();
        // The hashes of a fresh download, taken as it was written (see FileSink); a file found in the
        // cache is hashed anew. The download and its check run under the cache's lock, one after the
        // other, so nothing can change the file in between.
        Map<HashAlgorithm, String> downloaded = new EnumMap<>(HashAlgorithm.class);
        Path path = cache.obtain(request.url(), request.fileName(),
                tmp -> {
                    Map<HashAlgorithm, MessageDigest> digests = new EnumMap<>(HashAlgorithm.class);
                    for (HashAlgorithm a : algorithms) {
                        digests.put(a, a.newDigest());
                    }
                    fetcher.downloadResuming(request.url(), tmp, progress, List.copyOf(digests.values()));
                    digests.forEach((a, d) -> downloaded.put(a, HexFormat.of().formatHex(d.digest())));
                },
                candidate -> {
                    Map<HashAlgorithm, String> known = Map.copyOf(downloaded);
                    downloaded.clear();
                    evidence.clear();
                    for (Check c : checks) {
                        evidence.add(c.verify(candidate, name, known));
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
    private interface Check {
        /**
         * Verifies {@code file}; {@code known} holds hashes of exactly its bytes that were taken while
         * it was downloaded (empty for a file from the cache), to use instead of reading it again.
         */
        Evidence verify(Path file, String name, Map<HashAlgorithm, String> known) throws IOException;

        /** The hash the check compares, if it is a comparison of hashes. */
        default Optional<HashAlgorithm> algorithm() {
            return Optional.empty();
        }
    }

    /** A check that compares the file's hash with {@code expected}. */
    private record DigestCheck(Checksum expected, Function<Checksum, Evidence> evidence) implements Check {
        @Override
        public Evidence verify(Path file, String name, Map<HashAlgorithm, String> known) throws IOException {
            String actual = known.get(expected.algorithm());
            if (actual != null) {
                expected.verifyHash(actual, name);
            } else {
                expected.verify(file, name);
            }
            return evidence.apply(expected);
        }

        @Override
        public Optional<HashAlgorithm> algorithm() {
            return Optional.of(expected.algorithm());
        }
    }

    private Check resolve(Verification v, ArtifactRequest request) throws IOException {
        if (v instanceof Verification.Digest d) {
            String name = request.url().toString();
            return new DigestCheck(d.expected(), e -> d.releaseAssetDigest() ? Evidence.releaseAssetDigest(name, e)
                    : Evidence.pinnedDigest(name, e));
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
            String name = request.url().toString();
            return new DigestCheck(expected, e -> Evidence.checksumFile(name, e, signature));
        }
        Verification.DetachedSignatureAt s = (Verification.DetachedSignatureAt) v;
        byte[] signature = fetcher.fetchBytes(s.url(), HttpFetcher.SMALL_DOCUMENT_LIMIT);
        return (file, name, known) -> Evidence.detachedSignature(name,
                s.keys().verifyDetached(file, signature, s.url().toString()));
    }
}
