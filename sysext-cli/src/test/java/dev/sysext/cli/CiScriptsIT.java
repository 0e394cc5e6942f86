package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of the CI workflows (scripts/ci, run by .github/workflows/ci.yml and
 * examples/github-actions/sysext.yml) against the loopback fake GitHub: plan, build, publish with a
 * signed SHA256SUMS, push it as a branch, serve it, and verify what was published by rebuilding it.
 * Runs the bundled CLI (the tarball of the package phase) installed by install.sh, as the
 * workflows do.
 */
class CiScriptsIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SCRIPTS = ROOT.resolve("scripts/ci");

    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Run script(Map<String, String> env, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPTS.resolve(name).toString())); // absolute names stay
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().putAll(env);
        pb.redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish");
        }
        return new Run(p.exitValue(), out, Files.readString(tmp.resolve("stderr")));
    }

    @Test
    void planBuildPublishAndVerifyThePublishedImages() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream(Files.createDirectories(tmp.resolve("upstream")))) {
            Map<String, String> env = new HashMap<>();
            env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
            Path tarball;
            try (var files = Files.list(ROOT.resolve("sysext-cli/target"))) {
                tarball = files.filter(f -> f.getFileName().toString().endsWith("-linux-x86_64.tar.gz")).findFirst()
                        .orElseThrow(() -> new AssertionError("no bundled CLI tarball in sysext-cli/target"));
            }
            Run install = script(env, "install.sh", tarball.toString(), tmp.resolve("install dir").toString());
            assertEquals(0, install.exitCode, install::toString);
            assertTrue(install.out.startsWith("SYSEXT=" + tmp.resolve("install dir")) && install.out.endsWith("/bin/sysext\n"),
                    install::toString);
            String sysext = install.out.strip().substring("SYSEXT=".length());
            env.put("SYSEXT", sysext);
            env.put("SYSEXT_REWRITE_URL", String.join(" ", upstream.github.rewriteRules()));
            Path output = tmp.resolve("github-output");
            env.put("GITHUB_OUTPUT", output.toString());
            String keyring = upstream.keyring.toString();

            Run keygen = script(env, sysext, "keygen", "--name", "CI Releases", "--email", "ci@example.org",
                    "--out", tmp.resolve("keys").toString());
            assertEquals(0, keygen.exitCode, keygen::toString);

            Path publish = Files.createDirectories(tmp.resolve("publish"));
            Run plan = script(env, "plan.sh", publish.toString(), "containerd", "--versions", "2.2.0,1.7.29",
                    "--arch", "x86-64");
            assertEquals(0, plan.exitCode, plan::toString);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> include = (List<Map<String, Object>>) Json.object(plan.out).get("include");
            assertEquals(List.of("containerd-2.2.0-x86-64.raw", "containerd-1.7.29-x86-64.raw"),
                    include.stream().map(e -> e.get("image")).toList());
            String outputs = Files.readString(output);
            assertTrue(outputs.contains("matrix=" + plan.out.strip() + "\n") && outputs.contains("count=2\n"), outputs);
            Run names = script(env, "matrix-images.sh", plan.out.strip());
            assertEquals("containerd-2.2.0-x86-64.raw\ncontainerd-1.7.29-x86-64.raw\n", names.out, names::toString);

            // One build job per matrix entry, each into its own directory (as separate runners would).
            List<String> imageDirs = new ArrayList<>();
            for (Map<String, Object> e : include) {
                Path dir = tmp.resolve("images-" + e.get("version"));
                Run build = script(env, "build-image.sh", (String) e.get("recipe"), (String) e.get("version"),
                        (String) e.get("arch"), dir.toString(), "--keyring", keyring,
                        "--cache", tmp.resolve("cache").toString());
                assertEquals(0, build.exitCode, build::toString);
                assertTrue(Files.isRegularFile(dir.resolve((String) e.get("image"))), build::toString);
                imageDirs.add(dir.toString());
            }

            Map<String, String> signing = new HashMap<>(env);
            signing.put("SYSEXT_SIGN_KEY", tmp.resolve("keys/signing-key.asc").toString());
            List<String> publishArgs = new ArrayList<>(List.of(publish.toString()));
            publishArgs.addAll(imageDirs);
            Run pub = script(signing, "publish.sh", publishArgs.toArray(String[]::new));
            assertEquals(0, pub.exitCode, pub::toString);
            // The real tools accept what was published: sha256sum and gpgv (as systemd-sysupdate checks it).
            ExternalTool sums = ExternalTool.run("bash", "-c", "cd '" + publish + "' && sha256sum -c SHA256SUMS");
            assertEquals(0, sums.exitCode(), sums.output());
            assertTrue(sums.output().contains("containerd-2.2.0-x86-64.raw: OK"), sums.output());
            ExternalTool gpgv = ExternalTool.run("gpgv", "--keyring", tmp.resolve("keys/import-pubring.gpg").toString(),
                    publish.resolve("SHA256SUMS.gpg").toString(), publish.resolve("SHA256SUMS").toString());
            assertEquals(0, gpgv.exitCode(), gpgv.output());

            // The publish directory as a branch of a repository (a bare one standing in for GitHub).
            Path remote = tmp.resolve("remote.git");
            assertEquals(0, ExternalTool.run("git", "init", "-q", "--bare", remote.toString()).exitCode());
            Map<String, String> pushing = new HashMap<>(env);
            pushing.put("PUBLISH_REMOTE", remote.toString());
            Run push = script(pushing, "push-publish-branch.sh", publish.toString(), "sysext-publish");
            assertEquals(0, push.exitCode, push::toString);
            Path clone = tmp.resolve("clone");
            ExternalTool cloned = ExternalTool.run("git", "clone", "-q", "-b", "sysext-publish", remote.toString(),
                    clone.toString());
            assertEquals(0, cloned.exitCode(), cloned.output());
            for (String f : List.of("SHA256SUMS", "SHA256SUMS.gpg", "containerd-2.2.0-x86-64.raw")) {
                assertEquals(-1L, Files.mismatch(publish.resolve(f), clone.resolve(f)), f);
            }
            Run pushAgain = script(pushing, "push-publish-branch.sh", publish.toString(), "sysext-publish");
            assertEquals(0, pushAgain.exitCode, pushAgain::toString);
            assertTrue(pushAgain.err.contains("nothing new to publish"), pushAgain::toString);

            try (StaticServer server = new StaticServer(publish)) {
                Map<String, String> verifying = new HashMap<>(env);
                verifying.put("SYSEXT_VERIFY_KEYRING", tmp.resolve("keys/import-pubring.gpg").toString());
                Run verify = script(verifying, "verify-published.sh", server.url(), "containerd-2.2.0-x86-64.raw",
                        "containerd-1.7.29-x86-64.raw", "--", "--keyring", keyring,
                        "--cache", tmp.resolve("cache-verify").toString());
                assertEquals(0, verify.exitCode, verify::toString);
                assertEquals(2, verify.out.lines().filter(l -> l.contains(": IDENTICAL to its rebuild")).count(),
                        verify::toString);
                assertTrue(verify.err.contains("2 image(s) rebuilt identically"), verify::toString);

                // Nothing left to build.
                Run again = script(env, "plan.sh", server.url(), "containerd", "--versions", "2.2.0,1.7.29",
                        "--arch", "x86-64");
                assertEquals(0, again.exitCode, again::toString);
                assertEquals("{\"include\":[]}", again.out.strip());
            }

            // An image that differs from its rebuild, re-listed with a matching (unsigned) checksum.
            Path bad = Files.createDirectories(tmp.resolve("bad"));
            Path image = bad.resolve("containerd-2.2.0-x86-64.raw");
            Files.copy(publish.resolve(image.getFileName()), image);
            byte[] bytes = Files.readAllBytes(image);
            int at = indexOf(bytes, "containerd v2.2.0 would start".getBytes(StandardCharsets.UTF_8));
            if (at >= 0) {
                bytes[at] = 'C'; // inside an uncompressed block: still a readable image
            } else {
                bytes[bytes.length / 3] ^= 1;
            }
            Files.write(image, bytes);
            Run release = script(env, sysext, "release", bad.toString());
            assertEquals(0, release.exitCode, release::toString);
            Run differs = script(env, "verify-published.sh", bad.toString(), "--", "--keyring", keyring,
                    "--cache", tmp.resolve("cache-verify").toString());
            assertNotEquals(0, differs.exitCode, differs::toString);
            assertTrue(differs.err.contains("containerd-2.2.0-x86-64.raw"), differs::toString);

            // A published image that no longer matches SHA256SUMS.
            Files.write(publish.resolve("containerd-1.7.29-x86-64.raw"), "garbage".getBytes(StandardCharsets.UTF_8));
            Run mismatch = script(env, "verify-published.sh", publish.toString(), "containerd-1.7.29-x86-64.raw");
            assertEquals(1, mismatch.exitCode, mismatch::toString);
            assertTrue(mismatch.err.contains("containerd-1.7.29-x86-64.raw does not match its SHA256SUMS line"),
                    mismatch::toString);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
