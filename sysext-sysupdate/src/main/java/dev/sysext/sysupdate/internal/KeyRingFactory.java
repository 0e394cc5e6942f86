package dev.sysext.sysupdate.internal;

import dev.sysext.sysupdate.KeyAlgorithm;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PBESecretKeyEncryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Creates a v4 primary key that certifies and signs, with one self-certified user ID. No
 * encryption subkey: the key exists to sign release manifests.
 */
public final class KeyRingFactory {
    /** gpg's own default S2K iteration count byte (65011712 iterations). */
    private static final int S2K_COUNT = 0xff;

    private final SecureRandom random;

    public KeyRingFactory(SecureRandom random) {
        this.random = random;
    }

    /** The generated ring and its unlocked key pair. */
    public record Generated(PGPSecretKeyRing ring, PGPKeyPair pair) {
    }

    /**
     * Generates a key ring.
     *
     * @param passphrase protects the secret key when not empty (AES-256, iterated and salted SHA-256 S2K)
     */
    public Generated generate(String userId, KeyAlgorithm algorithm, Instant created, char[] passphrase)
            throws PGPException {
        Date date = Date.from(created);
        PGPKeyPair pair = switch (algorithm) {
            case ED25519 -> new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                    ed25519(), date);
            case RSA_4096 -> new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    rsa(4096), date);
        };

        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        hashed.setPreferredHashAlgorithms(false,
                new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
        hashed.setPreferredSymmetricAlgorithms(false,
                new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
        hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
        hashed.setIssuerFingerprint(false, pair.getPublicKey());

        // Version 4 secret keys protect their contents with a SHA-1 checksum (S2K usage 254).
        PGPDigestCalculator checksum = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
        PBESecretKeyEncryptor encryptor = passphrase.length == 0 ? null
                : new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256,
                        new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256), S2K_COUNT)
                        .setSecureRandom(random)
                        .build(passphrase);
        PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair,
                userId, checksum, hashed.generate(), null,
                new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512)
                        .setSecureRandom(random),
                encryptor);
        return new Generated(generator.generateSecretKeyRing(), pair);
    }

    private AsymmetricCipherKeyPair ed25519() {
        Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
        g.init(new Ed25519KeyGenerationParameters(random));
        return g.generateKeyPair();
    }

    private AsymmetricCipherKeyPair rsa(int bits) {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), random, bits, 100));
        return g.generateKeyPair();
    }
}
