package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the reference tools (squashfs-tools and squashfs-tools-ng) for tests. */
final class ExternalTools {
    private ExternalTools() {
    }

    /** Runs a command, fails the test when it exits non-zero, and returns its stdout. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        byte[] err = new byte[0];
        byte[] out = p.getInputStream().readAllBytes();
        err = p.getErrorStream().readAllBytes();
        int rc = p.waitFor();
        assertEquals(0, rc, String.join(" ", command) + " failed:\n" + new String(err, StandardCharsets.UTF_8)
                + new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }

    static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** mksquashfs SRC IMG -noappend -quiet -no-progress -processors 1 OPTIONS... */
    static Path mksquashfs(Path src, Path img, String... options) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("mksquashfs", src.toString(), img.toString(), "-noappend", "-quiet",
                "-no-progress", "-processors", "2"));
        c.addAll(List.of(options));
        run(c);
        return img;
    }

    /** gensquashfs --pack-dir SRC --keep-time --keep-xattr OPTIONS... IMG */
    static Path gensquashfs(Path src, Path img, String... options) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("gensquashfs", "--pack-dir", src.toString(), "--keep-time",
                "--keep-xattr", "--quiet", "--force", "-j", "2"));
        c.addAll(List.of(options));
        c.add(img.toString());
        run(c);
        return img;
    }

    static String unsquashfsListing(Path img) throws IOException, InterruptedException {
        return run("unsquashfs", "-lln", img.toString());
    }
}
