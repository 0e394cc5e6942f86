package dev.sysext.stage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real unsquashfs, to check images the way users' tools read them. */
final class Unsquashfs {
    private Unsquashfs() {
    }

    /** {@code unsquashfs -lln} lines as {@code MODE UID/GID DATE TIME PATH[ -> TARGET]} with the size dropped. */
    static List<String> list(Path image) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String line : run("-lln", image.toString()).lines().filter(l -> l.contains("squashfs-root")).toList()) {
            String[] f = line.trim().split("\\s+", 6);
            out.add(f[0] + " " + f[1] + " " + f[3] + " " + f[4] + " " + f[5].replaceFirst("^squashfs-root/?", "/"));
        }
        return out;
    }

    /** The content of {@code path} in {@code image}. */
    static String cat(Path image, String path) throws IOException, InterruptedException {
        return run("-cat", image.toString(), path);
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unsquashfs"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }
}
