package dev.sysext.fetch.internal.pgp;

import dev.sysext.fetch.VerificationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Checks data signatures against a trusted set of key rings. A signature counts only if its key is
 * in the set, it verifies, its hash is not broken (MD5, SHA-1, RIPEMD-160), it has not expired, and
 * the key is valid (see {@link KeyValidity}). A signature by a trusted key that does not verify
 * fails at once: the data or the signature was altered.
 */
public final class SignatureVerifier {
    private static final Set<Integer> WEAK_HASHES =
            Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.SHA1, HashAlgorithmTags.RIPEMD160);
    private static final long CLOCK_SKEW_MILLIS = 3_600_000;

    /** Feeds the signed data into a signature that has been initialised for verification. */
    @FunctionalInterface
    public interface DataFeed {
        /** Calls {@code sig.update(...)} with the signed bytes. */
        void feed(PGPSignature sig) throws IOException;
    }

    /** The signature that vouched, and its key. */
    public record Good(PGPPublicKeyRing ring, PGPPublicKey key, PGPSignature signature) {
    }

    private SignatureVerifier() {
    }

    /**
     * The first signature of {@code sigs} that a trusted key vouches for.
     *
     * @param subject how to name what is verified in messages (the signature's URL or file)
     * @param allowedTypes the acceptable signature types (binary document, canonical text)
     * @param allowedHashes hash algorithms the document announces ({@code Hash:}), empty for any
     * @param validNow whether keys must also be unexpired now, not only when they signed
     * @throws VerificationException when no signature is good, naming the signers and why
     */
    public static Good verify(List<PGPPublicKeyRing> trusted, List<PGPSignature> sigs, Set<Integer> allowedTypes,
                              List<Integer> allowedHashes, boolean validNow, DataFeed data, String subject)
            throws VerificationException, IOException {
        if (sigs.isEmpty()) {
            throw new VerificationException(subject + ": holds no signature");
        }
        Date now = new Date();
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        try {
            for (PGPSignature sig : sigs) {
                PGPPublicKeyRing ring = null;
                PGPPublicKey key = null;
                for (PGPPublicKeyRing r : trusted) {
                    PGPPublicKey k = r.getPublicKey(sig.getKeyID());
                    if (k != null) {
                        ring = r;
                        key = k;
                        break;
                    }
                }
                String issuer = issuer(sig);
                if (key == null) {
                    unknown.add(issuer);
                    continue;
                }
                String signer = "key " + Fingerprints.of(key);
                if (!allowedTypes.contains(sig.getSignatureType())) {
                    problems.add("signature by " + signer + " has type 0x"
                            + Integer.toHexString(sig.getSignatureType()) + ", not a document signature of the expected kind");
                    continue;
                }
                if (WEAK_HASHES.contains(sig.getHashAlgorithm())) {
                    problems.add("signature by " + signer + " uses a broken hash algorithm (id "
                            + sig.getHashAlgorithm() + ")");
                    continue;
                }
                if (!allowedHashes.isEmpty() && !allowedHashes.contains(sig.getHashAlgorithm())) {
                    problems.add("signature by " + signer + " uses hash id " + sig.getHashAlgorithm()
                            + ", not the one the Hash: header announces");
                    continue;
                }
                sig.init(ContentVerifiers.INSTANCE, key);
                data.feed(sig);
                if (!sig.verify()) {
                    throw new VerificationException(subject + ": BAD signature by " + signer
                            + ": the signed data or the signature was altered");
                }
                String why = sigProblem(sig, now);
                if (why == null) {
                    why = KeyValidity.problem(ring, key, sig.getCreationTime(), now, validNow);
                }
                if (why != null) {
                    problems.add("signature by " + signer + " refused: " + why);
                    continue;
                }
                return new Good(ring, key, sig);
            }
        } catch (PGPException | RuntimeException e) {
            throw new VerificationException(subject + ": cannot check the signature: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new VerificationException(subject + ": " + String.join("; ", problems));
        }
        throw new VerificationException(subject + ": signed by key " + String.join(", ", unknown)
                + ", which is not among the trusted keys");
    }

    private static String sigProblem(PGPSignature sig, Date now) {
        Date created = sig.getCreationTime();
        if (created.getTime() > now.getTime() + CLOCK_SKEW_MILLIS) {
            return "the signature is dated in the future (" + created.toInstant() + ")";
        }
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        long expires = hashed == null ? 0 : hashed.getSignatureExpirationTime();
        if (expires > 0 && now.getTime() >= created.getTime() + expires * 1000) {
            return "the signature expired on " + created.toInstant().plusSeconds(expires);
        }
        return null;
    }

    private static String issuer(PGPSignature sig) {
        PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
        if (hashed != null && hashed.getIssuerFingerprint() != null) {
            return HexFormat.of().withUpperCase().formatHex(hashed.getIssuerFingerprint().getFingerprint());
        }
        return "ID " + HexFormat.of().withUpperCase().formatHex(longBytes(sig.getKeyID()));
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
