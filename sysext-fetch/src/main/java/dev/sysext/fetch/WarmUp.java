package dev.sysext.fetch;

import dev.sysext.fetch.internal.pgp.PgpParsing;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import javax.net.ssl.SSLContext;

/**
 * Start-up work of fetching and verifying done ahead, on a daemon thread: loading and initialising
 * TLS, the HTTP client, the JDK's digests and RSA, and Bouncy Castle's OpenPGP parser. A command
 * that will fetch calls {@link #start()} first thing, so that this runs on another CPU while the
 * command parses its arguments and recipe, instead of on its critical path (about 0.3 s on a cold
 * JVM). It changes nothing but timing: whatever it does not finish, the first user does, and a
 * failure here is left for that user to meet and report.
 */
public final class WarmUp {
    private WarmUp() {
    }

    /** Starts the warm-up thread and returns it (callers need not wait for it). */
    public static Thread start() {
        Thread t = new Thread(WarmUp::run, "sysext-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    private static void run() {
        try {
            SSLContext.getDefault();
            HttpClient.newBuilder();
            MessageDigest.getInstance("SHA-256");
            MessageDigest.getInstance("SHA-512");
            KeyFactory.getInstance("RSA");
            Signature.getInstance("SHA256withRSA");
            Signature.getInstance("SHA512withRSA");
        } catch (GeneralSecurityException | RuntimeException e) {
            // Left for the first real use to report.
        }
        try {
            // Not a key ring: loads the parser's classes, then fails as it must.
            PgpParsing.keyRings(("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQAA\n-----END PGP PUBLIC KEY BLOCK-----\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            // Expected.
        }
    }
}
