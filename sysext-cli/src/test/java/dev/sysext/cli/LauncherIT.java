package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./sysext} launcher over the packaged build (runs after {@code package}): its class data
 * sharing archive is used where it was made, and a copied tree runs without it instead of failing.
 */
class LauncherIT {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path TARGET = MODULE.resolve("target");
    private static final Path LAUNCHER = MODULE.getParent().resolve("sysext");

    @Test
    void theBuildTreeUsesItsStartUpArchive() throws Exception {
        assertTrue(Files.isRegularFile(TARGET.resolve("sysext.jsa")), "the package phase wrote no sysext.jsa");
        Run r = run(LAUNCHER);
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("dev.sysext.cli.Main source: shared objects file"), r.output);
    }

    @Test
    void aCopiedTreeRunsWithoutTheArchiveOfTheOriginalPath(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("moved");
        Path target = copy.resolve("sysext-cli/target");
        Files.createDirectories(target.resolve("lib"));
        Files.copy(LAUNCHER, copy.resolve("sysext"), StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> files = Files.list(TARGET)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jar") || name.startsWith("sysext.jsa")) {
                    Files.copy(f, target.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        try (Stream<Path> jars = Files.list(TARGET.resolve("lib"))) {
            for (Path f : (Iterable<Path>) jars::iterator) {
                Files.copy(f, target.resolve("lib").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Run r = run(copy.resolve("sysext"));
        assertEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("dev.sysext.cli.Main source: file:" + target), r.output);
        assertTrue(r.output.lines().anyMatch(l -> l.matches("sysext \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?")), r.output);
    }

    private record Run(int exitCode, String output) {}

    private static Run run(Path launcher) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString(), "--version")).redirectErrorStream(true);
        pb.environment().put("SYSEXT_JAVA_OPTS", "-Xlog:class+load=info");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(launcher + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
