package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled CLI ({@code target/sysext-VERSION-linux-x86_64.tar.gz}, written by the package phase):
 * unpacked at an unusual path, it runs with no Java on PATH, no JAVA_HOME and an empty home, and the
 * image it writes is read by the real unsquashfs.
 */
class BundledCliIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void runsFromAnyPathWithoutJava(@TempDir Path tmp) throws Exception {
        Path tarball = tarball();
        Path install = Files.createDirectories(tmp.resolve("odd dir's $x (copy)/opt"));
        ExternalTool untar = ExternalTool.run("tar", "-xzf", tarball.toString(), "-C", install.toString());
        assertEquals(0, untar.exitCode(), untar.output());
        String name = tarball.getFileName().toString().replace("-linux-x86_64.tar.gz", "");
        Path launcher = install.resolve(name).resolve("bin/sysext");
        assertTrue(Files.isExecutable(launcher), "no executable bin/sysext in " + tarball);

        // A PATH with only what the launcher itself runs: no java anywhere.
        Path bin = Files.createDirectories(tmp.resolve("path"));
        for (String tool : List.of("env", "bash", "mkdir", "mv", "rm", "readlink")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Map.of("PATH", bin.toString(), "HOME", home.toString());

        Run version = run(env, launcher.toString(), "--version");
        assertEquals(0, version.exitCode, version.output);
        assertTrue(version.output.lines().anyMatch(l -> l.equals("sysext " + VersionProvider.version())), version.output);

        // The first run made the JDK's class data sharing archive in the user's cache, under the
        // install path. With a space in the path JDK 17 cannot archive sysext's own classes.
        Path cds = home.resolve(".cache/sysext/cds");
        assertEquals(List.of("base.jsa"), archives(cds, install.resolve(name)));
        Path tree = Files.createDirectories(tmp.resolve("tree/usr/lib/extension-release.d"));
        Files.writeString(tree.resolve("extension-release.demo"), "ID=_any\n");
        Files.writeString(tmp.resolve("tree/usr/hello.txt"), "hello\n");
        Path image = tmp.resolve("demo.raw");
        Map<String, String> logging = Map.of("PATH", bin.toString(), "HOME", home.toString(),
                "SYSEXT_JAVA_OPTS", "-Xlog:class+load=info");
        Run mk = run(logging, launcher.toString(), "mksquashfs", tmp.resolve("tree").toString(), image.toString());
        assertEquals(0, mk.exitCode, mk.output);
        assertTrue(mk.output.contains("java.lang.Object source: shared objects file"), mk.output);
        assertTrue(mk.output.contains("dev.sysext.cli.Main source: jrt:/") || mk.output.contains(
                "dev.sysext.cli.Main source: file:"), mk.output);

        ExternalTool list = ExternalTool.run("unsquashfs", "-lln", image.toString());
        assertEquals(0, list.exitCode(), list.output());
        assertTrue(list.output().contains("squashfs-root/usr/hello.txt"), list.output());
        assertTrue(list.output().contains("squashfs-root/usr/lib/extension-release.d/extension-release.demo"),
                list.output());

        // Moved elsewhere, the install makes archives of its own instead of using the old path's; both
        // of them at a path without spaces.
        Path moved = Files.createDirectories(tmp.resolve("elsewhere")).resolve(name);
        Files.move(install.resolve(name), moved);
        Run again = run(logging, moved.resolve("bin/sysext").toString(), "--version");
        assertEquals(0, again.exitCode, again.output);
        assertTrue(again.output.lines().anyMatch(l -> l.equals("sysext " + VersionProvider.version())), again.output);
        assertTrue(again.output.contains("dev.sysext.cli.Main source: shared objects file (top)"), again.output);
        assertEquals(List.of("app.jsa", "base.jsa"), archives(cds, moved));
    }

    /** The archive files the launcher made for the install at {@code root}. */
    private static List<String> archives(Path cds, Path root) throws IOException {
        try (Stream<Path> keys = Files.list(cds)) {
            List<Path> dirs = keys.map(k -> k.resolve(root.toString().substring(1))).filter(Files::isDirectory).toList();
            assertEquals(1, dirs.size(), "one archive directory for " + root + " in " + cds);
            try (Stream<Path> files = Files.list(dirs.get(0))) {
                return files.map(f -> f.getFileName().toString()).sorted().toList();
            }
        }
    }

    private static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().matches("sysext-.*-linux-x86_64\\.tar\\.gz"))
                    .toList();
            assertEquals(1, found.size(), "expected one bundled CLI tarball in " + TARGET + ": " + found);
            return found.get(0);
        }
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + tool + " in /usr/bin or /bin");
    }

    private record Run(int exitCode, String output) {}

    private static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(List.of(command) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
