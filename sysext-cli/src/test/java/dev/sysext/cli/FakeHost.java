package dev.sysext.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A host's /etc and /opt as overlays on the machine's own, inside a private mount namespace
 * ({@code unshare -m}), so systemd-sysupdate runs with its real paths (/etc/systemd/import-pubring.gpg,
 * /etc/sysupdate.NAME.d, /opt/extensions, /etc/extensions) and every change lands in the upper
 * directories here, never on the machine. A tmpfs /run holds the reboot flag.
 */
final class FakeHost {
    private final Path dir;
    private final Systemd254 systemd;

    record Result(int exitCode, String output) {
    }

    FakeHost(Path dir, Systemd254 systemd) throws IOException {
        this.dir = dir;
        this.systemd = systemd;
        for (String d : List.of("etc-upper", "etc-work", "opt-upper", "opt-work")) {
            Files.createDirectories(dir.resolve(d));
        }
    }

    /** The host's /etc as far as it differs from the machine's: copy configuration in here. */
    Path etc() {
        return dir.resolve("etc-upper");
    }

    /** The host's /opt as far as it differs from the machine's. */
    Path opt() {
        return dir.resolve("opt-upper");
    }

    /** Runs systemd-sysupdate 254 with {@code args} on the host. */
    Result sysupdate(String... args) throws IOException, InterruptedException {
        StringBuilder command = new StringBuilder(systemd.sysupdate().toString());
        for (String a : args) {
            command.append(' ').append(a);
        }
        return run(List.of(command.toString()));
    }

    /**
     * Runs {@code commands} (shell command lines) on the host, then prints {@code REBOOT-REQUIRED} when
     * one of them touched /run/reboot-required. The first failing command ends the run.
     */
    Result run(List<String> commands) throws IOException, InterruptedException {
        List<String> script = new ArrayList<>();
        script.add("set -e");
        script.add("mount -t overlay overlay -o lowerdir=/etc,upperdir=" + etc() + ",workdir=" + dir.resolve("etc-work") + " /etc");
        script.add("mount -t overlay overlay -o lowerdir=/opt,upperdir=" + opt() + ",workdir=" + dir.resolve("opt-work") + " /opt");
        script.add("mount -t tmpfs tmpfs /run");
        script.add("export LD_LIBRARY_PATH=" + systemd.libraries() + " SYSTEMD_PULL_PATH=" + systemd.pull()
                + " SYSTEMD_LOG_COLOR=0 SYSTEMD_COLORS=0");
        script.addAll(commands);
        script.add("if [ -e /run/reboot-required ]; then echo REBOOT-REQUIRED; fi");
        Path file = dir.resolve("run.sh");
        Files.writeString(file, String.join("\n", script) + "\n");
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", file.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + commands);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
