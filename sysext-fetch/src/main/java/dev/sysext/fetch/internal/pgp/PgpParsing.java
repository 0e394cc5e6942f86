package dev.sysext.fetch.internal.pgp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/** Reads keyrings and signatures, armored or binary. */
public final class PgpParsing {
    private static final String BEGIN = "-----BEGIN PGP ";
    private static final String END = "-----END PGP ";

    private PgpParsing() {
    }

    /**
     * The public key rings in {@code data}: binary packets, or any number of armored blocks with
     * arbitrary text between them (as in runc.keyring). Secret keys are skipped.
     */
    public static List<PGPPublicKeyRing> keyRings(byte[] data) throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (byte[] block : blocks(data, "PUBLIC KEY BLOCK")) {
            for (Object o : objects(block)) {
                if (o instanceof PGPPublicKeyRing r) {
                    rings.add(r);
                } else if (!(o instanceof PGPSecretKeyRing) && !(o instanceof PGPMarker)) {
                    throw new IOException("unexpected " + o.getClass().getSimpleName() + " in a keyring");
                }
            }
        }
        return rings;
    }

    /** The signatures in a detached signature, armored ({@code .asc}) or binary ({@code .sig}). */
    public static List<PGPSignature> signatures(byte[] data) throws IOException {
        List<PGPSignature> sigs = new ArrayList<>();
        for (byte[] block : blocks(data, "SIGNATURE")) {
            for (Object o : objects(block)) {
                if (o instanceof PGPSignatureList list) {
                    list.forEach(sigs::add);
                } else if (!(o instanceof PGPMarker)) {
                    throw new IOException("unexpected " + o.getClass().getSimpleName() + " in a signature");
                }
            }
        }
        return sigs;
    }

    /** Whether {@code data} looks like ASCII armor rather than binary packets. */
    static boolean isArmored(byte[] data) {
        // A binary packet starts with a byte that has its top bit set; armor is text.
        for (byte b : data) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return (b & 0x80) == 0;
        }
        return false;
    }

    /** The decoded packets of every armored block of {@code type}, or the data itself when binary. */
    private static List<byte[]> blocks(byte[] data, String type) throws IOException {
        if (!isArmored(data)) {
            return List.of(data);
        }
        String text = new String(data, StandardCharsets.ISO_8859_1);
        String begin = BEGIN + type + "-----";
        String end = END + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = text.indexOf(begin, from);
            if (b < 0) {
                break;
            }
            int e = text.indexOf(end, b);
            if (e < 0) {
                throw new IOException("armored block without its '" + end + "' line");
            }
            int stop = e + end.length();
            byte[] armored = text.substring(b, stop).concat("\n").getBytes(StandardCharsets.ISO_8859_1);
            try (ArmoredInputStream in = ArmoredInputStream.builder().setDetectMissingCRC(false)
                    .build(new ByteArrayInputStream(armored))) {
                out.add(in.readAllBytes());
            }
            from = stop;
        }
        if (out.isEmpty()) {
            throw new IOException("no '" + begin + "' block found");
        }
        return out;
    }

    private static List<Object> objects(byte[] packets) throws IOException {
        List<Object> out = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(packets);
        BcPGPObjectFactory f = new BcPGPObjectFactory(in);
        try {
            for (Object o = f.nextObject(); o != null; o = f.nextObject()) {
                if (o instanceof PGPCompressedData c) {
                    out.addAll(objects(c.getDataStream().readAllBytes()));
                } else {
                    out.add(o);
                }
            }
        } catch (PGPException e) {
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("malformed OpenPGP data: " + e, e);
        }
        return out;
    }
}
