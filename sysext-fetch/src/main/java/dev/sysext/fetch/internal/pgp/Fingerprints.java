package dev.sysext.fetch.internal.pgp;

import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKey;

/** Fingerprints as upper-case hex without spaces, the form gpg prints with --with-colons. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** The fingerprint of {@code key}. */
    public static String of(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /**
     * {@code text} normalised: spaces removed, upper case, optional {@code 0x} dropped.
     *
     * @throws IllegalArgumentException when it is not 40 or 64 hex digits
     */
    public static String normalise(String text) {
        String s = text.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        if (s.startsWith("0X")) {
            s = s.substring(2);
        }
        if ((s.length() != 40 && s.length() != 64) || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an OpenPGP fingerprint (40 or 64 hex digits)");
        }
        return s;
    }
}
