package dev.sysext.fetch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/** The hash functions checksum files use. */
public enum HashAlgorithm {
    /** SHA-256: 64 hex digits. */
    SHA256("SHA-256", "sha256", 64),
    /** SHA-512: 128 hex digits. */
    SHA512("SHA-512", "sha512", 128);

    private final String jcaName;
    private final String label;
    private final int hexLength;

    HashAlgorithm(String jcaName, String label, int hexLength) {
        this.jcaName = jcaName;
        this.label = label;
        this.hexLength = hexLength;
    }

    /** The lower-case name used in digests and messages: {@code sha256}, {@code sha512}. */
    public String label() {
        return label;
    }

    /** Number of hex digits of a hash. */
    public int hexLength() {
        return hexLength;
    }

    /** A fresh digest. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " missing from the JDK", e);
        }
    }

    /** The algorithm whose hashes have {@code hexLength} digits. */
    public static Optional<HashAlgorithm> ofHexLength(int hexLength) {
        for (HashAlgorithm a : values()) {
            if (a.hexLength == hexLength) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The algorithm called {@code name} ({@code sha256}, {@code SHA256}, {@code SHA-256}, ...). */
    public static Optional<HashAlgorithm> ofName(String name) {
        String n = name.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        for (HashAlgorithm a : values()) {
            if (a.label.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
