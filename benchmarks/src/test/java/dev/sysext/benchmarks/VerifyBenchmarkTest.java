package dev.sysext.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sysext.fetch.SignatureCheck;
import dev.sysext.fetch.VerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VerifyBenchmarkTest {

    /** The hashes are sha256sum's; the signature verifies with the generated key, for both key types. */
    @Test
    void hashesMatchSha256sumAndTheSignatureVerifies() throws Exception {
        VerifyBenchmark b = new VerifyBenchmark();
        b.size = 4096;
        b.setUp();
        Path artifact = b.artifact();
        try {
            Process p = new ProcessBuilder("sha256sum", artifact.toString()).start();
            String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split(" ")[0];
            p.waitFor(30, TimeUnit.SECONDS);
            assertEquals(expected, b.sha256File());
            assertEquals(expected, b.sha256Bytes());
            for (String key : new String[] {"ed25519", "rsa4096"}) {
                VerifyBenchmark.Signed signed = new VerifyBenchmark.Signed();
                signed.key = key;
                signed.setUp(b);
                SignatureCheck check = b.signature(signed);
                assertEquals(check.primaryFingerprint(), check.signerFingerprint());
                assertEquals("Benchmark <bench@sysext.invalid>", check.userIds().get(0));
            }
            // The check can fail: a changed artifact no longer verifies.
            VerifyBenchmark.Signed signed = new VerifyBenchmark.Signed();
            signed.key = "ed25519";
            signed.setUp(b);
            Files.write(artifact, new byte[] {1, 2, 3});
            assertThrows(VerificationException.class, () -> b.signature(signed));
        } finally {
            b.tearDown();
        }
        assertFalse(Files.exists(artifact));
    }
}
