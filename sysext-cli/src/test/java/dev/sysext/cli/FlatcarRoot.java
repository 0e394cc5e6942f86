package dev.sysext.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake Flatcar root (os-release with ID=flatcar, SYSEXT_LEVEL=1.0) into which systemd-sysext
 * merges an image, inside a private mount namespace with its own /run so that nothing leaks into
 * the machine (the recipe of the project's notes on real clients).
 */
final class FlatcarRoot {
    private final Path root;

    FlatcarRoot(Path dir) throws IOException {
        root = dir;
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("var/lib/extensions"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=flatcar\nVERSION_ID=4230.2.0\nSYSEXT_LEVEL=1.0\n");
    }

    Path root() {
        return root;
    }

    /** Installs {@code image} as {@code /var/lib/extensions/NAME.raw}, the name its extension-release expects. */
    void install(Path image, String name) throws IOException {
        Files.copy(image, root.resolve("var/lib/extensions/" + name + ".raw"));
    }

    /**
     * Merges the installed images, runs {@code afterMerge} (a shell script; {@code $ROOT} is the
     * root, further arguments are {@code $1}...), then unmerges; returns everything printed.
     */
    ExternalTool mergeAndRun(String afterMerge, String... args) throws IOException, InterruptedException {
        String script = "set -eu\n"
                + "mount -t tmpfs tmpfs /run\n"
                + "mount --bind \"$ROOT\" \"$ROOT\"\n"
                + "mount --make-rshared \"$ROOT\"\n"
                + "systemd-sysext merge --root=\"$ROOT\"\n"
                + "echo '--- after merge'\n"
                + afterMerge + "\n"
                + "systemd-sysext unmerge --root=\"$ROOT\"\n";
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "env",
                "ROOT=" + root, "bash", "-c", script, "merge"));
        cmd.addAll(List.of(args));
        return ExternalTool.run(cmd);
    }
}
