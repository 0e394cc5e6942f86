package dev.sysext.sysupdate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digests deployments name an image by: SHA-256 in SHA256SUMS, SHA-512 in Ignition's verification. */
public final class ImageDigest {
    private ImageDigest() {
    }

    /** SHA-256 of a file, read in a streaming pass. */
    public static byte[] sha256(Path file) throws IOException {
        return digest(file, "SHA-256");
    }

    /** SHA-512 of a file, read in a streaming pass. */
    public static byte[] sha512(Path file) throws IOException {
        return digest(file, "SHA-512");
    }

    private static byte[] digest(Path file, String algorithm) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java platform", e);
        }
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }
}
