package dev.sysext.sysupdate.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

/** Makes binary detached signatures over a byte stream, the form {@code gpg --detach-sign} writes. */
public final class DetachedSigner {
    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;

    public DetachedSigner(PGPPublicKey publicKey, PGPPrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** Signs all of {@code data} as binary; the signature carries {@code time} as its creation time. */
    public byte[] sign(InputStream data, Instant time) throws IOException, PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(publicKey.getAlgorithm(), HashAlgorithmTags.SHA512), publicKey);
        generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(time));
        hashed.setIssuerFingerprint(false, publicKey);
        generator.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, publicKey.getKeyID());
        generator.setUnhashedSubpackets(unhashed.generate());
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = data.read(buffer)) > 0; ) {
            generator.update(buffer, 0, n);
        }
        return generator.generate().getEncoded();
    }
}
