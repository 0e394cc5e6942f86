package dev.sysext.squashfs;

import dev.sysext.entry.DirectorySource;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.LoopMount;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Builds images of source trees and checks them with the kernel and unsquashfs. */
final class ImageCheck {
    private ImageCheck() {
    }

    static Path build(Path source, Path image, WriterOptions options) throws IOException {
        try (SquashfsWriter w = SquashfsWriter.create(image, options)) {
            DirectorySource.addTree(w, source, options.xattrs());
            w.finish();
        }
        return image;
    }

    /** Mounts the image with the kernel and compares the mounted tree with the source. */
    static void kernelMatches(Path source, Path image, Path work, Set<TreeSnapshot.Aspect> aspects) throws IOException {
        try (LoopMount m = LoopMount.mount(image, work)) {
            TreeSnapshot.assertSame(source, m.root(), aspects);
        }
    }

    /** Lists the image with unsquashfs and extracts it, comparing the extraction with the source. */
    static String unsquashfsMatches(Path source, Path image, Path work, Set<TreeSnapshot.Aspect> aspects) throws IOException {
        String listing = ExternalTool.check("unsquashfs", "-lln", image.toString());
        Path dest = work.resolve("unsquashfs-" + System.nanoTime());
        String out = ExternalTool.check("unsquashfs", "-no-progress", "-d", dest.toString(), image.toString());
        if (out.contains("WARNING") || out.contains("FATAL") || out.contains("failed")) {
            throw new AssertionError("unsquashfs complained:\n" + out);
        }
        TreeSnapshot.assertSame(source, dest, aspects);
        ExternalTool.check("rm", "-rf", dest.toString());
        return listing;
    }

    static void deleteTree(Path p) {
        if (Files.exists(p)) {
            ExternalTool.check("rm", "-rf", p.toString());
        }
    }
}
