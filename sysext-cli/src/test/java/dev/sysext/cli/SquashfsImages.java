package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Small extension images made with mksquashfs, as a release directory would hold them. */
final class SquashfsImages {
    private SquashfsImages() {
    }

    /** Writes {@code dir/NAME-VERSION-x86-64.raw}, with its extension-release and a version file. */
    static Path image(Path dir, String name, String version) throws IOException, InterruptedException {
        Path tree = Files.createTempDirectory(dir.getParent(), "tree");
        Path release = tree.resolve("usr/lib/extension-release.d/extension-release." + name);
        Files.createDirectories(release.getParent());
        Files.writeString(release, "ID=_any\nARCHITECTURE=x86-64\n");
        Path versionFile = tree.resolve("usr/share/" + name + "/version");
        Files.createDirectories(versionFile.getParent());
        Files.writeString(versionFile, version + "\n");
        Files.createDirectories(dir);
        Path image = dir.resolve(name + "-" + version + "-x86-64.raw");
        Process p = new ProcessBuilder("mksquashfs", tree.toString(), image.toString(), "-all-root", "-noappend",
                "-quiet", "-no-progress").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        return image;
    }
}
