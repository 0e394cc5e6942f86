package dev.sysext.squashfs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A read-only kernel loop mount of an image, unmounted (and its mount point removed) on close. */
public final class LoopMount implements AutoCloseable {
    private final Path dir;

    private LoopMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts {@code image} with the kernel's squashfs driver on a new directory under {@code parent}. */
    public static LoopMount mount(Path image, Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "mnt");
        ExternalTool.Result r = ExternalTool.run("mount", "-t", "squashfs", "-o", "loop,ro", image.toString(), dir.toString());
        if (r.exitCode() != 0) {
            Files.deleteIfExists(dir);
            throw new AssertionError("the kernel refused to mount " + image + ":\n" + r.output()
                    + ExternalTool.run("sh", "-c", "dmesg | tail -5").output());
        }
        return new LoopMount(dir);
    }

    public Path root() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        ExternalTool.run("umount", dir.toString()).check();
        Files.deleteIfExists(dir);
    }
}
