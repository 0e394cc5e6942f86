package dev.sysext.sysupdate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/** Public keys as the binary keyring systemd-sysupdate reads from {@code import-pubring.gpg}. */
public final class PublicKeyring {
    private PublicKeyring() {
    }

    /**
     * Reads public keys, armored or binary, and returns them as one binary keyring.
     *
     * @param source names the input in error messages
     * @throws IllegalArgumentException when the input holds no OpenPGP public key
     */
    public static byte[] toBinary(byte[] keys, String source) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try {
            for (Object o : new BcPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(keys)))) {
                if (o instanceof PGPPublicKeyRing ring) {
                    rings.add(ring);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": not an OpenPGP public key (" + e.getMessage() + ")", e);
        }
        if (rings.isEmpty()) {
            throw new IllegalArgumentException(source + ": contains no OpenPGP public key");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BCPGOutputStream out = new BCPGOutputStream(bytes, PacketFormat.LEGACY)) {
            for (PGPPublicKeyRing ring : rings) {
                ring.encode(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
