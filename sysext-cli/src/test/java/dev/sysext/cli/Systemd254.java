package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The systemd 254 that {@code .ci/run} unpacks from bookworm-backports without installing it
 * (Debian 12's own systemd 252 has no systemd-sysupdate). Found through {@code SYSEXT_SYSTEMD_254}
 * or in {@code /opt/sysext-ci/systemd-254}. In CI ({@code SYSEXT_REQUIRE_SYSTEMD_254=1}) a missing
 * copy fails the tests; elsewhere they are skipped with a note on how to get it.
 */
record Systemd254(Path root) {
    static final Path DEFAULT = Path.of("/opt/sysext-ci/systemd-254");

    static Systemd254 require() {
        String env = System.getenv("SYSEXT_SYSTEMD_254");
        Path root = env == null || env.isBlank() ? DEFAULT : Path.of(env);
        Systemd254 s = new Systemd254(root);
        String problem = null;
        if (!Files.isExecutable(s.sysupdate())) {
            problem = "no systemd-sysupdate 254 in " + root + " (run .ci/run, which unpacks it from"
                    + " bookworm-backports, or set SYSEXT_SYSTEMD_254)";
        } else if (!"root".equals(System.getProperty("user.name"))) {
            problem = "the systemd-sysupdate tests need root (mount namespaces and overlay mounts)";
        }
        if (problem != null) {
            if ("1".equals(System.getenv("SYSEXT_REQUIRE_SYSTEMD_254"))) {
                fail(problem);
            }
            Assumptions.abort(problem);
        }
        return s;
    }

    Path sysupdate() {
        return root.resolve("lib/systemd/systemd-sysupdate");
    }

    Path pull() {
        return root.resolve("lib/systemd/systemd-pull");
    }

    Path libraries() {
        return root.resolve("usr/lib/x86_64-linux-gnu/systemd");
    }
}
