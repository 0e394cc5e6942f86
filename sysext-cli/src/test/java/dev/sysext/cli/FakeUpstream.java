package dev.sysext.cli;

import dev.sysext.fetch.testing.TestArchive;
import dev.sysext.fetch.testing.FakeGitHub;
import dev.sysext.fetch.testing.LoopbackServer;
import dev.sysext.fetch.testing.TestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback GitHub serving generated containerd and runc releases: containerd-static tarballs whose
 * {@code bin/containerd} is a shell script printing its version and the config it was given, runc
 * binaries signed with a test key (detached {@code .asc} and clear-signed {@code runc.sha256sum}),
 * and containerd's {@code script/setup/runc-version} raw files. Besides good releases it serves
 * broken ones, each a containerd version of its own:
 * <ul>
 * <li>{@value #TAMPERED}: the tarball differs from the one its {@code .sha256sum} describes;
 * <li>{@value #WRONG_CHECKSUM}: the {@code .sha256sum} names another hash;
 * <li>{@value #BAD_RUNC_SIGNATURE}: its runc is signed by a key that is not trusted;
 * <li>{@value #MISSING_RUNC_SIGNATURE}: its runc has no {@code .asc};
 * <li>{@value #ESCAPING_TAR}: the tarball (with a valid checksum) has a {@code ../} entry;
 * <li>{@value #AMD64_ONLY}: a release without builds (only its runc-version file).
 * </ul>
 */
final class FakeUpstream implements AutoCloseable {
    static final String GOOD = "2.2.0";
    static final String OLD_LINE = "1.7.29";
    static final String TAMPERED = "2.1.9";
    static final String WRONG_CHECKSUM = "2.1.8";
    static final String BAD_RUNC_SIGNATURE = "2.1.7";
    static final String MISSING_RUNC_SIGNATURE = "2.1.6";
    static final String ESCAPING_TAR = "2.1.5";
    static final String AMD64_ONLY = "2.1.4";

    final FakeGitHub github;
    final TestKey runcKey = TestKey.generate("runc test maintainer <runc@example.org>");
    final TestKey strangerKey = TestKey.generate("someone else <stranger@example.org>");
    final Path keyring;

    FakeUpstream(Path dir) throws IOException {
        github = FakeGitHub.start();
        keyring = dir.resolve("runc-test.keyring");
        Files.write(keyring, TestKey.runcStyleKeyring(runcKey));

        runc("v1.3.3", runcKey, true);
        runc("v1.3.90", strangerKey, true);
        runc("v1.3.91", runcKey, false);
        runc("v1.2.8", runcKey, true);

        containerd(GOOD, "v1.3.3", tarball(GOOD), null);
        containerd(OLD_LINE, "v1.2.8", tarball(OLD_LINE), null);
        byte[] good = tarball(TAMPERED);
        byte[] tampered = good.clone();
        tampered[tampered.length / 2] ^= 0x20;
        containerd(TAMPERED, "v1.3.3", tampered, LoopbackServer.sha256(good));
        containerd(WRONG_CHECKSUM, "v1.3.3", tarball(WRONG_CHECKSUM), "ab".repeat(32));
        containerd(BAD_RUNC_SIGNATURE, "v1.3.90", tarball(BAD_RUNC_SIGNATURE), null);
        containerd(MISSING_RUNC_SIGNATURE, "v1.3.91", tarball(MISSING_RUNC_SIGNATURE), null);
        github.release("containerd", "containerd", "v" + AMD64_ONLY);
        github.rawFile("containerd/containerd/refs/tags/v" + AMD64_ONLY + "/script/setup/runc-version",
                "v1.3.3\n".getBytes(StandardCharsets.UTF_8));
        containerd(ESCAPING_TAR, "v1.3.3", containerdTar(ESCAPING_TAR).file("../evil", 0755, "#!/bin/sh\n").bytes("tar.gz"), null);
    }

    /** The options that send GitHub's URLs to this server. */
    List<String> rewriteOptions() {
        List<String> out = new ArrayList<>();
        for (String rule : github.rewriteRules()) {
            out.add("--rewrite-url");
            out.add(rule);
        }
        return out;
    }

    static String containerdScript(String version) {
        return "#!/bin/sh\n"
                + "case \"$1\" in\n"
                + "  --version) echo \"containerd github.com/containerd/containerd/v2 v" + version + " fake\" ;;\n"
                + "  --config) echo \"containerd v" + version + " would start with --config $2\" ;;\n"
                + "  *) echo \"containerd: unexpected arguments: $*\" >&2; exit 2 ;;\n"
                + "esac\n";
    }

    static String assetName(String version, String goArch) {
        return "containerd-static-" + version + "-linux-" + goArch + ".tar.gz";
    }

    static TestArchive containerdTar(String version) {
        return new TestArchive()
                .directory("bin")
                .file("bin/containerd", 0755, containerdScript(version))
                .file("bin/containerd-shim-runc-v2", 0755, "#!/bin/sh\necho shim " + version + "\n")
                .file("bin/ctr", 0755, "#!/bin/sh\necho ctr " + version + "\n")
                .file("bin/containerd-stress", 0755, "#!/bin/sh\necho stress " + version + "\n");
    }

    private static byte[] tarball(String version) {
        return containerdTar(version).bytes("tar.gz");
    }

    /**
     * Publishes {@code version} again with another amd64 tarball, and a checksum file naming
     * {@code sha256}, or the new tarball's hash when null.
     */
    void republishContainerd(String version, byte[] amd64, String sha256) {
        containerd(version, "v1.3.3", amd64, sha256);
    }

    private void containerd(String version, String runcVersion, byte[] amd64, String amd64Hash) {
        FakeGitHub.Release r = github.release("containerd", "containerd", "v" + version);
        byte[] arm64 = tarball(version);
        String amd64Name = assetName(version, "amd64");
        String arm64Name = assetName(version, "arm64");
        String hash = amd64Hash != null ? amd64Hash : LoopbackServer.sha256(amd64);
        r.assetWithDigest(amd64Name, amd64, null);
        r.asset(amd64Name + ".sha256sum", (hash + "  " + amd64Name + "\n").getBytes(StandardCharsets.UTF_8));
        r.asset(arm64Name, arm64);
        r.asset(arm64Name + ".sha256sum", (LoopbackServer.sha256(arm64) + "  " + arm64Name + "\n")
                .getBytes(StandardCharsets.UTF_8));
        github.rawFile("containerd/containerd/refs/tags/v" + version + "/script/setup/runc-version",
                (runcVersion + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void runc(String tag, TestKey signer, boolean withSignature) {
        FakeGitHub.Release r = github.release("opencontainers", "runc", tag);
        StringBuilder sums = new StringBuilder();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] bin = ("#!/bin/sh\necho runc version " + tag.substring(1) + " " + arch + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            r.asset("runc." + arch, bin);
            if (withSignature) {
                r.asset("runc." + arch + ".asc", signer.signDetached(bin, true));
            }
            sums.append(LoopbackServer.sha256(bin)).append("  runc.").append(arch).append('\n');
        }
        r.asset("runc.sha256sum", signer.clearSign(sums.toString()));
    }

    @Override
    public void close() {
        github.close();
    }
}
