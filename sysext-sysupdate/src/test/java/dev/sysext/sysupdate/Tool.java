package dev.sysext.sysupdate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (gpg, systemd-analyze) and captures what it printed. */
final class Tool {
    record Result(int exitCode, String output) {
    }

    private Tool() {
    }

    static Result run(Path dir, List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        return run(dir, List.of(command), new byte[0]);
    }
}
