package dev.sysext.sysupdate;

import dev.sysext.sysupdate.internal.Armor;
import dev.sysext.sysupdate.internal.DetachedSigner;
import dev.sysext.sysupdate.internal.KeyRingFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRing;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An OpenPGP v4 release signing key, unlocked: it signs {@code SHA256SUMS} and exports itself as the
 * armored secret key, the armored public key, and the binary keyring systemd-sysupdate reads
 * ({@code import-pubring.gpg}).
 */
public final class SigningKey {
    private final PGPSecretKeyRing secretRing;
    private final PGPPrivateKey privateKey;

    private SigningKey(PGPSecretKeyRing secretRing, PGPPrivateKey privateKey) {
        this.secretRing = secretRing;
        this.privateKey = privateKey;
    }

    /**
     * Generates a new key.
     *
     * @param userId     for example {@code Example Releases <releases@example.com>}
     * @param created    the key's creation time
     * @param passphrase protects the exported secret key when not empty; never stored
     */
    public static SigningKey generate(String userId, KeyAlgorithm algorithm, Instant created, char[] passphrase) {
        if (userId.isBlank()) {
            throw new IllegalArgumentException("the key's user ID is empty");
        }
        try {
            KeyRingFactory.Generated g = new KeyRingFactory(new SecureRandom())
                    .generate(userId, algorithm, created, passphrase);
            return new SigningKey(g.ring(), g.pair().getPrivateKey());
        } catch (PGPException e) {
            throw new IllegalStateException("could not generate the key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a secret key (armored or binary, as written by {@link #armoredSecretKey()} or by
     * {@code gpg --export-secret-keys}) and unlocks its signing key.
     *
     * @param source     names the input in error messages
     * @param passphrase empty for an unprotected key
     * @throws IllegalArgumentException when the input holds no usable secret key or the passphrase is wrong
     */
    public static SigningKey read(InputStream in, String source, char[] passphrase) throws IOException {
        byte[] data = in.readAllBytes(); // a key is small; after this, every IOException is a format error
        PGPSecretKeyRing ring = null;
        try {
            Iterator<?> objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(
                    new java.io.ByteArrayInputStream(data))).iterator();
            while (ring == null && objects.hasNext()) {
                if (objects.next() instanceof PGPSecretKeyRing r) {
                    ring = r;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The object factory reports malformed packets as unchecked exceptions.
            throw new IllegalArgumentException(source + ": not an OpenPGP secret key (" + e.getMessage() + ")", e);
        }
        if (ring == null) {
            throw new IllegalArgumentException(source + ": contains no OpenPGP secret key");
        }
        PGPSecretKey signing = signingKey(ring, source);
        boolean locked = signing.getKeyEncryptionAlgorithm() != 0;
        if (locked && passphrase.length == 0) {
            throw new IllegalArgumentException(source + ": the secret key is passphrase-protected; "
                    + "give the passphrase through a file or an environment variable");
        }
        try {
            PGPPrivateKey privateKey = signing.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
            if (privateKey == null) {
                throw new IllegalArgumentException(source + ": the secret key has no private part (a gpg stub?)");
            }
            return new SigningKey(ring, privateKey);
        } catch (PGPException e) {
            throw new IllegalArgumentException(source + ": cannot unlock the secret key"
                    + (locked ? " (wrong passphrase?)" : "") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key that signs: one whose self-signature grants the sign-data flag (a gpg key with a
     * certify-only primary signs with its subkey), else a key without any flags that can sign.
     */
    private static PGPSecretKey signingKey(PGPSecretKeyRing ring, String source) {
        PGPSecretKey unflagged = null;
        for (PGPSecretKey k : ring) {
            if (!k.isSigningKey() || k.isPrivateKeyEmpty() || k.getPublicKey().hasRevocation()) {
                continue;
            }
            int flags = keyFlags(k.getPublicKey());
            if ((flags & KeyFlags.SIGN_DATA) != 0) {
                return k;
            }
            if (flags == 0 && unflagged == null) {
                unflagged = k;
            }
        }
        if (unflagged != null) {
            return unflagged;
        }
        throw new IllegalArgumentException(source + ": the key ring has no secret key that may sign"
                + " (a primary key kept offline leaves only stubs; export the signing subkey)");
    }

    private static int keyFlags(PGPPublicKey key) {
        int flags = 0;
        for (Iterator<PGPSignature> sigs = key.getSignatures(); sigs.hasNext(); ) {
            PGPSignatureSubpacketVector hashed = sigs.next().getHashedSubPackets();
            if (hashed != null) {
                flags |= hashed.getKeyFlags();
            }
        }
        return flags;
    }

    private PGPPublicKey signingPublicKey() {
        return secretRing.getSecretKey(privateKey.getKeyID()).getPublicKey();
    }

    /** The primary key's fingerprint, upper-case hex as gpg prints it. */
    public String fingerprint() {
        return HexFormat.of().withUpperCase().formatHex(secretRing.getPublicKey().getFingerprint());
    }

    /** The first user ID. */
    public String userId() {
        Iterator<String> ids = secretRing.getPublicKey().getUserIDs();
        return ids.hasNext() ? ids.next() : "";
    }

    /** When the primary key was created. */
    public Instant created() {
        return secretRing.getPublicKey().getCreationTime().toInstant();
    }

    /** The secret key ring, armored, as stored (passphrase-protected if it was generated or read so). */
    public byte[] armoredSecretKey() {
        return Armor.armor(encode(secretRing), "sysext release signing key (secret): " + userId());
    }

    /** The public key ring, armored, for users who verify with gpg. */
    public byte[] armoredPublicKey() {
        return Armor.armor(publicKeyring(), "sysext release signing key: " + userId());
    }

    /**
     * The public key ring as binary packets: the form of systemd's {@code import-pubring.gpg}, which
     * must not be armored.
     */
    public byte[] publicKeyring() {
        List<PGPPublicKey> keys = new ArrayList<>();
        secretRing.getPublicKeys().forEachRemaining(keys::add);
        return encode(new PGPPublicKeyRing(keys));
    }

    /**
     * A binary detached signature over {@code data} (the form of {@code SHA256SUMS.gpg}). The
     * signature time is clamped to the key's creation time: gpg rejects signatures older than the key.
     */
    public byte[] signDetached(InputStream data, Instant time) throws IOException {
        Objects.requireNonNull(time, "time");
        Instant when = time.isBefore(created()) ? created() : time;
        try {
            return new DetachedSigner(signingPublicKey(), privateKey).sign(data, when);
        } catch (PGPException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(PGPKeyRing ring) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Old-format packet headers, the form gpg itself exports.
        try (BCPGOutputStream out = new BCPGOutputStream(bytes, PacketFormat.LEGACY)) {
            ring.encode(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
