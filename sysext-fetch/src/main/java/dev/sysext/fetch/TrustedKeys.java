package dev.sysext.fetch;

import dev.sysext.fetch.internal.pgp.ClearSignedDocument;
import dev.sysext.fetch.internal.pgp.Fingerprints;
import dev.sysext.fetch.internal.pgp.PgpParsing;
import dev.sysext.fetch.internal.pgp.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * The OpenPGP keys whose signatures are accepted, and the signature checks made with them.
 *
 * <p>Trust comes from one of two places: a recipe pins the fingerprints of the keys it trusts and
 * loads a keyring (fetched from a pinned location with {@link #fetchPinned}), keeping only the pinned
 * keys; or the user supplies a keyring ({@link #load}), which replaces the pinned set entirely.
 * Keyrings may be binary ({@code gpg --export}) or armored, with several key blocks and text between
 * them (like runc's {@code runc.keyring}).
 *
 * <p>A signature is accepted only if it is made by a key of this set, verifies, uses a sound hash,
 * has not expired, and its key is not revoked, had not expired when it signed, and is bound by a
 * valid self-signature. Like gpg and gpgv, a key that expired after signing still vouches for what it
 * signed while valid (runc maintainers' keys do lapse); {@link #refusingKeysExpiredNow()} refuses
 * those too. Immutable and thread-safe.
 */
public final class TrustedKeys {
    private final List<PGPPublicKeyRing> rings;
    private final String source;
    private final boolean validNow;

    private TrustedKeys(List<PGPPublicKeyRing> rings, String source, boolean validNow) {
        this.rings = List.copyOf(rings);
        this.source = source;
        this.validNow = validNow;
    }

    /** These keys, refusing also signatures whose key has expired since it signed. */
    public TrustedKeys refusingKeysExpiredNow() {
        return new TrustedKeys(rings, source, true);
    }

    /**
     * Every public key in {@code keyring} (binary or armored), all trusted.
     *
     * @param source where the keyring came from, for messages
     * @throws VerificationException when the data holds no usable public key
     */
    public static TrustedKeys parse(byte[] keyring, String source) throws VerificationException {
        List<PGPPublicKeyRing> rings;
        try {
            rings = PgpParsing.keyRings(keyring);
        } catch (IOException e) {
            throw new VerificationException(source + ": not an OpenPGP keyring: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new VerificationException(source + ": holds no public key");
        }
        return new TrustedKeys(rings, source, false);
    }

    /** Every public key in the keyring file {@code file} (a user-supplied {@code --keyring}). */
    public static TrustedKeys load(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Fetches the keyring at {@code url} and keeps only the keys whose fingerprints are pinned.
     *
     * @throws VerificationException when none of the pinned keys is in the keyring
     * @throws FetchException when the keyring cannot be fetched
     */
    public static TrustedKeys fetchPinned(HttpFetcher fetcher, URI url, Collection<String> fingerprints)
            throws IOException {
        return parse(fetcher.fetchBytes(url, HttpFetcher.SMALL_DOCUMENT_LIMIT), url.toString()).pinned(fingerprints);
    }

    /**
     * The keys of this set whose primary key (or one of whose subkeys) has one of {@code fingerprints};
     * keys not pinned are dropped.
     *
     * @throws IllegalArgumentException when a fingerprint is malformed
     * @throws VerificationException when none of the pinned keys is present
     */
    public TrustedKeys pinned(Collection<String> fingerprints) throws VerificationException {
        Set<String> wanted = new LinkedHashSet<>();
        for (String f : fingerprints) {
            wanted.add(Fingerprints.normalise(f));
        }
        List<PGPPublicKeyRing> kept = new ArrayList<>();
        for (PGPPublicKeyRing r : rings) {
            for (Iterator<org.bouncycastle.openpgp.PGPPublicKey> it = r.getPublicKeys(); it.hasNext(); ) {
                if (wanted.contains(Fingerprints.of(it.next()))) {
                    kept.add(r);
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            throw new VerificationException(source + ": holds none of the pinned keys " + String.join(", ", wanted)
                    + " (it has " + String.join(", ", fingerprints()) + ")");
        }
        return new TrustedKeys(kept, source + " (pinned)", validNow);
    }

    /** The primary key fingerprints, upper-case hex. */
    public Set<String> fingerprints() {
        Set<String> out = new LinkedHashSet<>();
        for (PGPPublicKeyRing r : rings) {
            out.add(Fingerprints.of(r.getPublicKey()));
        }
        return out;
    }

    /** Where the keys came from. */
    public String source() {
        return source;
    }

    /**
     * Checks a detached signature (armored {@code .asc} or binary {@code .sig}) over a file, read as a stream.
     *
     * @param signatureSource the signature's URL or file, for messages
     * @throws VerificationException when no trusted key vouches for the file, saying why
     */
    public SignatureCheck verifyDetached(Path data, byte[] signature, String signatureSource) throws IOException {
        return detached(signature, signatureSource, sig -> {
            try (InputStream in = Files.newInputStream(data)) {
                feed(sig, in);
            }
        });
    }

    /** Checks a detached signature over bytes in memory. */
    public SignatureCheck verifyDetached(byte[] data, byte[] signature, String signatureSource) throws IOException {
        return detached(signature, signatureSource, sig -> feed(sig, new java.io.ByteArrayInputStream(data)));
    }

    /**
     * Checks a clear-signed document ({@code gpg --clear-sign}, like runc's {@code runc.sha256sum}) and
     * returns the text its signature covers.
     *
     * @throws VerificationException when the document is malformed, or no trusted key vouches for it
     */
    public ClearSignedText verifyClearSigned(byte[] document, String documentSource) throws IOException {
        ClearSignedDocument doc;
        List<PGPSignature> sigs;
        try {
            doc = ClearSignedDocument.parse(document);
            sigs = PgpParsing.signatures(doc.signature());
        } catch (IOException e) {
            throw new VerificationException(documentSource + ": " + e.getMessage(), e);
        }
        byte[] canonical = doc.canonicalText();
        SignatureVerifier.Good good = SignatureVerifier.verify(rings, sigs, Set.of(PGPSignature.CANONICAL_TEXT_DOCUMENT),
                doc.hashAlgorithms(), validNow, sig -> sig.update(canonical), documentSource);
        return new ClearSignedText(doc.text(), check(good, documentSource));
    }

    private SignatureCheck detached(byte[] signature, String signatureSource, SignatureVerifier.DataFeed feed)
            throws IOException {
        List<PGPSignature> sigs;
        try {
            sigs = PgpParsing.signatures(signature);
        } catch (IOException e) {
            throw new VerificationException(signatureSource + ": not an OpenPGP signature: " + e.getMessage(), e);
        }
        SignatureVerifier.Good good = SignatureVerifier.verify(rings, sigs, Set.of(PGPSignature.BINARY_DOCUMENT,
                PGPSignature.CANONICAL_TEXT_DOCUMENT), List.of(), validNow, feed, signatureSource);
        return check(good, signatureSource);
    }

    private static void feed(PGPSignature sig, InputStream in) throws IOException {
        boolean text = sig.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT;
        byte[] buf = new byte[1 << 16];
        int previous = -1;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (!text) {
                sig.update(buf, 0, n);
                continue;
            }
            // Text signatures cover the data with every line ending as CRLF.
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n' && previous != '\r') {
                    sig.update((byte) '\r');
                }
                sig.update(b);
                previous = b;
            }
        }
    }

    private static SignatureCheck check(SignatureVerifier.Good good, String source) {
        List<String> ids = new ArrayList<>();
        good.ring().getPublicKey().getUserIDs().forEachRemaining(ids::add);
        return new SignatureCheck(Fingerprints.of(good.key()), Fingerprints.of(good.ring().getPublicKey()), ids,
                good.signature().getCreationTime().toInstant(), source);
    }
}
