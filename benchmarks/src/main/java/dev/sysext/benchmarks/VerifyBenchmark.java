package dev.sysext.benchmarks;

import dev.sysext.fetch.Checksum;
import dev.sysext.fetch.HashAlgorithm;
import dev.sysext.fetch.SignatureCheck;
import dev.sysext.fetch.TrustedKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The checks {@code sysext create} makes on a downloaded artifact before it is staged, through
 * sysext-fetch's API: {@link #sha256File} hashes a file as {@link Checksum#verify} does (streamed from
 * the page cache), {@link #sha256Bytes} the same bytes in memory (the digest alone), and
 * {@link #signature} checks a detached OpenPGP signature over the file with {@link TrustedKeys},
 * as runc's {@code .asc} is checked (the hash of the file plus the key checks and the signature
 * arithmetic). The key is made in the set-up: Ed25519 or RSA 4096. Score: milliseconds per check;
 * the set-up prints the size, so MB/s = MB / (ms/op / 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class VerifyBenchmark {

    /** Bytes of the artifact: a 32 MiB release tarball, or a 4 KiB file (the checks' fixed cost). */
    @Param({"33554432", "4096"})
    public int size;

    private Path dir;
    private Path artifact;
    private byte[] content;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sysext-verify-bench");
        artifact = dir.resolve("artifact.tar.gz");
        content = new byte[size];
        new Random(3).nextBytes(content); // a .tar.gz is as good as random to a hash
        Files.write(artifact, content);
        System.out.printf(Locale.ROOT, "%nartifact: %.1f MB%n", size / 1e6);
    }

    /** A trusted key and its signature over the artifact; only {@link #signature} uses it. */
    @State(Scope.Benchmark)
    public static class Signed {
        /** The signing key's algorithm: {@code ed25519} or {@code rsa4096}. */
        @Param({"ed25519", "rsa4096"})
        public String key;

        private byte[] signature;
        private TrustedKeys keys;

        @Setup(Level.Trial)
        public void setUp(VerifyBenchmark artifact) throws IOException, PGPException {
            PGPKeyPair pair = keyPair(key);
            PGPPublicKey certified = certify(pair, "Benchmark <bench@sysext.invalid>");
            keys = TrustedKeys.parse(new PGPPublicKeyRing(List.of(certified)).getEncoded(), "benchmark keyring");
            signature = sign(pair, artifact.content);
            System.out.printf(Locale.ROOT, "%s key %s%n", key, keys.fingerprints());
        }
    }

    /** A fresh signing key pair of the given algorithm, dated a minute ago. */
    static PGPKeyPair keyPair(String algorithm) throws PGPException {
        SecureRandom random = new SecureRandom();
        Date created = new Date(System.currentTimeMillis() - 60_000);
        return switch (algorithm) {
            case "ed25519" -> {
                Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
                gen.init(new Ed25519KeyGenerationParameters(random));
                AsymmetricCipherKeyPair kp = gen.generateKeyPair();
                yield new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, kp, created);
            }
            case "rsa4096" -> {
                RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
                gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, 4096, 100));
                yield new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                        gen.generateKeyPair(), created);
            }
            default -> throw new IllegalArgumentException("unknown key '" + algorithm + "' (ed25519 or rsa4096)");
        };
    }

    /** The public key with a positive self-certification of {@code userId} that allows signing. */
    static PGPPublicKey certify(PGPKeyPair pair, String userId) throws PGPException {
        PGPSignatureGenerator sg = generator(pair.getPublicKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(true, pair.getPublicKey().getCreationTime());
        hashed.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        hashed.setIssuerFingerprint(false, pair.getPublicKey());
        sg.setHashedSubpackets(hashed.generate());
        sg.init(PGPSignature.POSITIVE_CERTIFICATION, pair.getPrivateKey());
        PGPSignature cert = sg.generateCertification(userId, pair.getPublicKey());
        return PGPPublicKey.addCertification(pair.getPublicKey(), userId, cert);
    }

    /** A binary detached signature over {@code data}, as {@code gpg --detach-sign} makes. */
    static byte[] sign(PGPKeyPair pair, byte[] data) throws PGPException, IOException {
        PGPSignatureGenerator sg = generator(pair.getPublicKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date());
        hashed.setIssuerFingerprint(false, pair.getPublicKey());
        sg.setHashedSubpackets(hashed.generate());
        sg.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
        sg.update(data);
        return sg.generate().getEncoded();
    }

    private static PGPSignatureGenerator generator(PGPPublicKey key) {
        return new PGPSignatureGenerator(new BcPGPContentSignerBuilder(key.getAlgorithm(), HashAlgorithmTags.SHA256), key);
    }

    @Benchmark
    public String sha256File() throws IOException {
        return Checksum.hash(HashAlgorithm.SHA256, artifact);
    }

    @Benchmark
    public String sha256Bytes() {
        return Checksum.hash(HashAlgorithm.SHA256, content);
    }

    @Benchmark
    public SignatureCheck signature(Signed signed) throws IOException {
        return signed.keys.verifyDetached(artifact, signed.signature, "artifact.tar.gz.sig");
    }

    /** The artifact file the benchmarks check. */
    Path artifact() {
        return artifact;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(artifact);
        Files.deleteIfExists(dir);
    }
}
