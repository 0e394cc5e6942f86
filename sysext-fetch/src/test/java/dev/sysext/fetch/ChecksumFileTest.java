package dev.sysext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumFileTest {
    private static final String A = "a".repeat(64);
    private static final String B = "B".repeat(64);
    private static final String C512 = "c".repeat(128);

    @Test
    void readsGnuBsdAndBareForms() throws Exception {
        ChecksumFile f = ChecksumFile.parse(A + "  runc.amd64\n" + B + " *runc.arm64\n"
                + "SHA512 (x.tar.gz) = " + C512 + "\n" + "SHA256 (y) = " + A + "\n", "sums");
        assertEquals(new Checksum(HashAlgorithm.SHA256, A, "sums"), f.expectedFor("runc.amd64"));
        assertEquals(new Checksum(HashAlgorithm.SHA256, B.toLowerCase(), "sums"), f.expectedFor("runc.arm64"));
        assertEquals(new Checksum(HashAlgorithm.SHA512, C512, "sums"), f.expectedFor("x.tar.gz"));
        assertEquals(HashAlgorithm.SHA256, f.expectedFor("y").algorithm());
        assertEquals(4, f.size());
        // Kubernetes' .sha256: the hash alone applies to the file it sits beside.
        assertEquals(A, ChecksumFile.parse(A + "\n", "kubelet.sha256").expectedFor("kubelet").hex());
        assertEquals(C512, ChecksumFile.parse(C512, "k.sha512").expectedFor("k").hex());
    }

    @Test
    void missingEntryIsAnErrorNamingFileAndSource() {
        ChecksumFile f = ChecksumFile.parse(A + "  runc.amd64\n", "https://x/runc.sha256sum");
        VerificationException e = assertThrows(VerificationException.class, () -> f.expectedFor("runc.arm64"));
        assertEquals("https://x/runc.sha256sum: no checksum for 'runc.arm64' (1 entry in the file)", e.getMessage());
        assertThrows(VerificationException.class, () -> ChecksumFile.parse("", "empty").expectedFor("x"));
        assertThrows(VerificationException.class,
                () -> ChecksumFile.parse(A + "  x\n" + B + "  x\n", "dup").expectedFor("x"));
    }

    @Test
    void entryWithDirectoryMatchesBaseNameOnlyWithoutExactEntry() throws Exception {
        ChecksumFile f = ChecksumFile.parse(A + "  ./bin/x\n" + B + "  x\n", "s");
        assertEquals(B.toLowerCase(), f.expectedFor("x").hex());
        assertEquals(A, ChecksumFile.parse(A + "  ./bin/x\n", "s").expectedFor("x").hex());
    }

    @Test
    void verifyReportsExpectedAndActual(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "hello\n");
        String good = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
        new Checksum(HashAlgorithm.SHA256, good, "sums").verify(file, "f");
        assertEquals(good, Checksum.hash(HashAlgorithm.SHA256, "hello\n".getBytes(StandardCharsets.UTF_8)));
        VerificationException e = assertThrows(VerificationException.class,
                () -> new Checksum(HashAlgorithm.SHA256, A, "sums").verify(file, "https://h/f"));
        assertEquals("https://h/f: sha256 mismatch: expected " + A + " (from sums) but the file has " + good, e.getMessage());
        assertEquals(HashAlgorithm.SHA256, Checksum.parseDigest("sha256:" + A, "api").algorithm());
        assertThrows(IllegalArgumentException.class, () -> Checksum.parseDigest("md5:abc", "api"));
        assertTrue(Checksum.hash(HashAlgorithm.SHA512, file).length() == 128);
    }
}
