package dev.sysext.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * An expected hash and where the expectation came from.
 *
 * @param algorithm the hash function
 * @param hex the hash in lower-case hex
 * @param source where this value was read (a checksum file's URL, "GitHub API digest", ...), for messages
 */
public record Checksum(HashAlgorithm algorithm, String hex, String source) {
    /** Normalises to lower case and checks the length. */
    public Checksum {
        Objects.requireNonNull(algorithm);
        Objects.requireNonNull(source);
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + hex + "' is not a " + algorithm.label() + " hash (in " + source + ")");
        }
    }

    /**
     * Parses a digest such as {@code sha256:<hex>} (the GitHub API's asset {@code digest}).
     *
     * @throws IllegalArgumentException when the text is not a digest of a known algorithm
     */
    public static Checksum parseDigest(String digest, String source) {
        int colon = digest.indexOf(':');
        HashAlgorithm a = colon < 0 ? null : HashAlgorithm.ofName(digest.substring(0, colon)).orElse(null);
        if (a == null) {
            throw new IllegalArgumentException("'" + digest + "' is not a sha256:/sha512: digest (in " + source + ")");
        }
        return new Checksum(a, digest.substring(colon + 1).trim(), source);
    }

    /** The hash of {@code file} with {@code algorithm}, in lower-case hex. */
    public static String hash(HashAlgorithm algorithm, Path file) throws IOException {
        MessageDigest md = algorithm.newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The hash of {@code data} with {@code algorithm}, in lower-case hex. */
    public static String hash(HashAlgorithm algorithm, byte[] data) {
        return HexFormat.of().formatHex(algorithm.newDigest().digest(data));
    }

    /**
     * Checks that {@code file} has this hash.
     *
     * @param name how to call the file in the message (its URL or name)
     * @throws VerificationException naming the file, the source, and the expected and actual hashes
     */
    public void verify(Path file, String name) throws IOException {
        verifyHash(hash(algorithm, file), name);
    }

    /**
     * Checks that a file whose hash with this checksum's algorithm is {@code actual} (lower-case hex,
     * e.g. taken while it was downloaded) has this hash.
     *
     * @param name how to call the file in the message (its URL or name)
     * @throws VerificationException naming the file, the source, and the expected and actual hashes
     */
    public void verifyHash(String actual, String name) throws VerificationException {
        if (!actual.equals(hex)) {
            throw new VerificationException(name + ": " + algorithm.label() + " mismatch: expected " + hex
                    + " (from " + source + ") but the file has " + actual);
        }
    }
}
