package dev.sysext.squashfs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools our images are checked with (unsquashfs, sqfsdiff, mount, tar, ...). */
public final class ExternalTool {
    private static final long TIMEOUT_SECONDS = 300;

    /** A finished run: exit code and stdout and stderr merged. */
    public record Result(List<String> command, int exitCode, String output) {
        /** Throws unless the tool exited 0. */
        public Result check() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private ExternalTool() {
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    public static Result run(List<String> command) {
        return exec(command, null);
    }

    /** Runs {@code command}; stderr goes to {@code err}, or is merged into the output when null. */
    private static Result exec(List<String> command, Path err) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (err == null) {
                pb.redirectErrorStream(true);
            } else {
                pb.redirectError(err.toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(List.copyOf(command), p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Runs and requires exit code 0; returns the output. */
    public static String check(String... command) {
        return run(command).check().output();
    }

    /**
     * Runs and requires exit code 0; returns stdout alone, for output compared byte for byte
     * (stderr is kept apart in a file and shown only when the tool fails).
     */
    public static String stdout(List<String> command) {
        Path err = null;
        try {
            err = Files.createTempFile("tool", ".err");
            Result r = exec(command, err);
            if (r.exitCode() != 0) {
                new Result(r.command(), r.exitCode(), Files.readString(err) + r.output()).check();
            }
            return r.output();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } finally {
            if (err != null) {
                err.toFile().delete();
            }
        }
    }

    public static String stdout(String... command) {
        return stdout(List.of(command));
    }

    /** {@code unsquashfs -lln IMAGE}: the listing our {@code list()} must reproduce. */
    public static String unsquashfsListing(Path image) {
        return stdout("unsquashfs", "-lln", image.toString());
    }

    /** mksquashfs SRC IMG -noappend -quiet -no-progress -processors 2 OPTIONS...; returns IMG. */
    public static Path mksquashfs(Path src, Path img, String... options) {
        List<String> c = new ArrayList<>(List.of("mksquashfs", src.toString(), img.toString(), "-noappend", "-quiet",
                "-no-progress", "-processors", "2"));
        c.addAll(List.of(options));
        stdout(c);
        return img;
    }

    /** gensquashfs --pack-dir SRC --keep-time --keep-xattr OPTIONS... IMG; returns IMG. */
    public static Path gensquashfs(Path src, Path img, String... options) {
        List<String> c = new ArrayList<>(List.of("gensquashfs", "--pack-dir", src.toString(), "--keep-time",
                "--keep-xattr", "--quiet", "--force", "-j", "2"));
        c.addAll(List.of(options));
        c.add(img.toString());
        stdout(c);
        return img;
    }
}
