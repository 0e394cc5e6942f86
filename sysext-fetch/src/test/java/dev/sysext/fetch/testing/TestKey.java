package dev.sysext.fetch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * An Ed25519 OpenPGP v4 key made with Bouncy Castle for tests (fast to generate, understood by
 * gpg 2.2), and signatures made with it: detached (armored or binary) and clear-signed documents.
 * Issue 6's tests can sign fake runc artifacts with it.
 */
public final class TestKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;

    private TestKey(PGPPublicKey publicKey, PGPPrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** A valid key without expiry, created now, that may sign data. */
    public static TestKey generate(String userId) {
        return generate(userId, Instant.now().minusSeconds(60), 0);
    }

    /** A key created at {@code created}, expiring {@code validSeconds} later (0: never). */
    public static TestKey generate(String userId, Instant created, long validSeconds) {
        try {
            Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
            gen.init(new Ed25519KeyGenerationParameters(RANDOM));
            AsymmetricCipherKeyPair kp = gen.generateKeyPair();
            PGPKeyPair pair = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, kp, Date.from(created));
            PGPSignatureGenerator sg = generator(pair.getPublicKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(true, Date.from(created));
            hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            if (validSeconds > 0) {
                hashed.setKeyExpirationTime(true, validSeconds);
            }
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            sg.setHashedSubpackets(hashed.generate());
            sg.init(PGPSignature.POSITIVE_CERTIFICATION, pair.getPrivateKey());
            PGPSignature cert = sg.generateCertification(userId, pair.getPublicKey());
            return new TestKey(PGPPublicKey.addCertification(pair.getPublicKey(), userId, cert), pair.getPrivateKey());
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This key with a (verifiable) revocation signature attached. */
    public TestKey revoked() {
        try {
            PGPSignatureGenerator sg = generator(publicKey);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(true, new Date());
            hashed.setIssuerFingerprint(false, publicKey);
            sg.setHashedSubpackets(hashed.generate());
            sg.init(PGPSignature.KEY_REVOCATION, privateKey);
            PGPSignature rev = sg.generateCertification(publicKey);
            return new TestKey(PGPPublicKey.addCertification(publicKey, rev), privateKey);
        } catch (PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint, upper-case hex. */
    public String fingerprint() {
        return HexFormat.of().withUpperCase().formatHex(publicKey.getFingerprint());
    }

    /** The public key as a binary keyring (what {@code gpg --export} writes and gpgv reads). */
    public byte[] publicKeyring() {
        try {
            return new PGPPublicKeyRing(List.of(publicKey)).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public key armored ({@code gpg --export --armor}). */
    public byte[] armoredPublicKey() {
        return armor(publicKeyring());
    }

    /**
     * Several armored key blocks with prose between them, the shape of runc's {@code runc.keyring}.
     */
    public static byte[] runcStyleKeyring(TestKey... keys) {
        StringBuilder sb = new StringBuilder("# runc maintainers' keys\n\n");
        for (TestKey k : keys) {
            sb.append("pub   ed25519 2020-01-01 [SC]\n      ").append(k.fingerprint())
                    .append("\nuid   Maintainer\n\n")
                    .append(new String(k.armoredPublicKey(), StandardCharsets.US_ASCII)).append("\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A detached signature over {@code data}, armored ({@code .asc}) or binary ({@code .sig}). */
    public byte[] signDetached(byte[] data, boolean armored) {
        return signDetachedAt(data, Instant.now(), armored);
    }

    /** A detached signature dated {@code when}. */
    public byte[] signDetachedAt(byte[] data, Instant when, boolean armored) {
        try {
            PGPSignatureGenerator sg = dataSignatureGenerator(when);
            sg.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            sg.update(data);
            byte[] sig = sg.generate().getEncoded();
            return armored ? armor(sig) : sig;
        } catch (PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code text} clear-signed as {@code gpg --clear-sign} does: lines starting with {@code -} are
     * dash-escaped, the signature covers the lines without trailing whitespace joined by CRLF.
     */
    public byte[] clearSign(String text) {
        try {
            List<String> lines = text.lines().toList();
            String canonical = String.join("\r\n", lines.stream().map(TestKey::stripEnd).toList());
            PGPSignatureGenerator sg = dataSignatureGenerator(Instant.now());
            sg.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, privateKey);
            sg.update(canonical.getBytes(StandardCharsets.UTF_8));
            byte[] sig = armor(sg.generate().getEncoded());
            StringBuilder sb = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
            for (String l : lines) {
                sb.append(l.startsWith("-") ? "- " : "").append(l).append('\n');
            }
            sb.append(new String(sig, StandardCharsets.US_ASCII));
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        } catch (PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Like gpg: the creation time and the issuer's fingerprint in the hashed area. */
    private PGPSignatureGenerator dataSignatureGenerator(Instant when) {
        PGPSignatureGenerator sg = generator(publicKey);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(when));
        hashed.setIssuerFingerprint(false, publicKey);
        sg.setHashedSubpackets(hashed.generate());
        return sg;
    }

    private static PGPSignatureGenerator generator(PGPPublicKey key) {
        return new PGPSignatureGenerator(new BcPGPContentSignerBuilder(key.getAlgorithm(), HashAlgorithmTags.SHA256), key);
    }

    private static String stripEnd(String s) {
        return s.replaceAll("[ \\t\\r]+$", "");
    }

    private static byte[] armor(byte[] binary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = new ArmoredOutputStream(out)) {
            a.write(binary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
