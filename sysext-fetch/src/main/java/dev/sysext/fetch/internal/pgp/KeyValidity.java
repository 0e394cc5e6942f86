package dev.sysext.fetch.internal.pgp;

import java.time.Instant;
import java.util.Date;
import java.util.Iterator;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;

/**
 * Whether a key may vouch for a data signature: not revoked, bound by a valid self-signature, not
 * expired when the signature was made (and, if asked, not expired now), allowed to sign. As with
 * gpg and gpgv, a key that expired after making a signature still vouches for it by default: old
 * releases stay verifiable when a maintainer lets a key lapse. Only signatures that verify count,
 * so nobody can extend or revoke a key by appending unsigned packets to a keyring.
 */
final class KeyValidity {
    private static final ContentVerifiers VERIFIERS = ContentVerifiers.INSTANCE;

    private KeyValidity() {
    }

    /** Why {@code key} of {@code ring} may not vouch for a signature made at {@code signedAt}, or null if it may. */
    static String problem(PGPPublicKeyRing ring, PGPPublicKey key, Date signedAt, Date now, boolean validNow)
            throws PGPException {
        PGPPublicKey primary = ring.getPublicKey();
        String name = "key " + Fingerprints.of(primary);
        if (verifiedBy(primary, primary.getSignaturesOfType(PGPSignature.KEY_REVOCATION), primary, null)) {
            return name + " is revoked";
        }
        PGPSignature self = latestSelfCertification(primary);
        if (self == null) {
            return name + " has no valid self-signature";
        }
        String expiry = expiry(name, primary, self, signedAt, now, validNow);
        if (expiry != null) {
            return expiry;
        }
        PGPSignature usage = self;
        if (key != primary) {
            name = "subkey " + Fingerprints.of(key) + " of key " + Fingerprints.of(primary);
            if (verifiedBy(primary, key.getSignaturesOfType(PGPSignature.SUBKEY_REVOCATION), primary, key)) {
                return name + " is revoked";
            }
            usage = latestValid(primary, key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING), key);
            if (usage == null) {
                return name + " is not bound to its primary key by a valid signature";
            }
            expiry = expiry(name, key, usage, signedAt, now, validNow);
            if (expiry != null) {
                return expiry;
            }
        }
        PGPSignatureSubpacketVector hashed = usage.getHashedSubPackets();
        if (hashed != null && hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)
                && (hashed.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
            return name + " is not allowed to sign data";
        }
        if (key.getCreationTime().after(signedAt)) {
            return name + " was created after the signature's date";
        }
        return null;
    }

    private static String expiry(String name, PGPPublicKey key, PGPSignature selfSig, Date signedAt, Date now,
                                 boolean validNow) {
        PGPSignatureSubpacketVector hashed = selfSig.getHashedSubPackets();
        long seconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
        if (seconds <= 0) {
            return null;
        }
        Instant expires = key.getCreationTime().toInstant().plusSeconds(seconds);
        if (!signedAt.toInstant().isBefore(expires)) {
            return name + " had expired (" + expires + ") when the signature was made (" + signedAt.toInstant() + ")";
        }
        if (validNow && !now.toInstant().isBefore(expires)) {
            return name + " expired on " + expires;
        }
        return null;
    }

    private static PGPSignature latestSelfCertification(PGPPublicKey primary) throws PGPException {
        PGPSignature latest = null;
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
            byte[] id = ids.next();
            for (Iterator<PGPSignature> it = primary.getSignaturesForID(id); it.hasNext(); ) {
                PGPSignature s = it.next();
                if (isSelfCertification(s, primary) && later(s, latest)) {
                    s.init(VERIFIERS, primary);
                    if (s.verifyCertification(id, primary)) {
                        latest = s;
                    }
                }
            }
        }
        for (Iterator<PGPSignature> it = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY); it.hasNext(); ) {
            PGPSignature s = it.next();
            if (s.getKeyID() == primary.getKeyID() && later(s, latest)) {
                s.init(VERIFIERS, primary);
                if (s.verifyCertification(primary)) {
                    latest = s;
                }
            }
        }
        return latest;
    }

    private static boolean isSelfCertification(PGPSignature s, PGPPublicKey primary) {
        int t = s.getSignatureType();
        return s.getKeyID() == primary.getKeyID() && (t == PGPSignature.DEFAULT_CERTIFICATION
                || t == PGPSignature.NO_CERTIFICATION || t == PGPSignature.CASUAL_CERTIFICATION
                || t == PGPSignature.POSITIVE_CERTIFICATION);
    }

    private static boolean later(PGPSignature s, PGPSignature than) {
        return than == null || s.getCreationTime().after(than.getCreationTime());
    }

    /** The newest of {@code sigs} by {@code primary} over {@code subkey} that verifies. */
    private static PGPSignature latestValid(PGPPublicKey primary, Iterator<PGPSignature> sigs, PGPPublicKey subkey)
            throws PGPException {
        PGPSignature latest = null;
        while (sigs.hasNext()) {
            PGPSignature s = sigs.next();
            if (s.getKeyID() == primary.getKeyID() && later(s, latest)) {
                s.init(VERIFIERS, primary);
                if (s.verifyCertification(primary, subkey)) {
                    latest = s;
                }
            }
        }
        return latest;
    }

    /** Whether any of {@code sigs} is made by {@code primary} and verifies (over {@code subkey} if given). */
    private static boolean verifiedBy(PGPPublicKey primary, Iterator<PGPSignature> sigs, PGPPublicKey target,
                                      PGPPublicKey subkey) throws PGPException {
        while (sigs.hasNext()) {
            PGPSignature s = sigs.next();
            if (s.getKeyID() != primary.getKeyID()) {
                continue;
            }
            s.init(VERIFIERS, primary);
            if (subkey == null ? s.verifyCertification(target) : s.verifyCertification(primary, subkey)) {
                return true;
            }
        }
        return false;
    }
}
