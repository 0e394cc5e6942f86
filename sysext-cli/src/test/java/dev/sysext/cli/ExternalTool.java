package dev.sysext.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program (unsquashfs, unshare, systemd-sysext) and keeps its exit code and output. */
record ExternalTool(int exitCode, String output) {
    static ExternalTool run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("TZ", "UTC");
        env.put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish");
        }
        return new ExternalTool(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static ExternalTool run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** Runs {@code command}, fails the test unless it exits 0, and returns its output. */
    static String output(String... command) throws IOException, InterruptedException {
        ExternalTool t = run(command);
        if (t.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + t.exitCode() + ":\n" + t.output());
        }
        return t.output();
    }
}
