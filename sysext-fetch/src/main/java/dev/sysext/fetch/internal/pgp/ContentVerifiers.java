package dev.sysext.fetch.internal.pgp;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Checks signatures: RSA ones with the JDK's RSA, every other kind with Bouncy Castle's.
 *
 * <p>Why not Bouncy Castle for RSA too: its lightweight key conversion tests, on every signature
 * checked, that the key's modulus is composite (three Miller-Rabin rounds, each a full 4096-bit
 * exponentiation for the usual release key), which cost 0.2 to 0.6 CPU seconds per {@code create}
 * under the launcher's C1-only compiler, more than all the other OpenPGP work. That test guards
 * against a malformed key; our keys are pinned by fingerprint, and neither gpg nor the JDK makes it.
 * The verification itself (the PKCS#1 v1.5 padding, the hash of the data) is the same.
 */
final class ContentVerifiers implements PGPContentVerifierBuilderProvider {
    static final ContentVerifiers INSTANCE = new ContentVerifiers();

    private final PGPContentVerifierBuilderProvider rsa = new JcaPGPContentVerifierBuilderProvider();
    private final PGPContentVerifierBuilderProvider others = new BcPGPContentVerifierBuilderProvider();

    private ContentVerifiers() {
    }

    @SuppressWarnings("deprecation") // RSA_SIGN: deprecated by RFC 4880, still found in old keys
    @Override
    public PGPContentVerifierBuilder get(int keyAlgorithm, int hashAlgorithm) throws PGPException {
        boolean isRsa = keyAlgorithm == PublicKeyAlgorithmTags.RSA_GENERAL || keyAlgorithm == PublicKeyAlgorithmTags.RSA_SIGN;
        return (isRsa ? rsa : others).get(keyAlgorithm, hashAlgorithm);
    }
}
