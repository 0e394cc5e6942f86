package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sysext.squashfs.testing.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image of one empty directory has an empty directory table: the next table starts where it does. */
class EmptyImageTest {

    @Test
    void mksquashfsImageOfAnEmptyDirectoryIsRead(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Path image = dir.resolve("empty.sqfs");
        ExternalTool.check("mksquashfs", src.toString(), image.toString(), "-noappend", "-quiet", "-no-progress");
        assertReadLikeUnsquashfs(image);
    }

    @Test
    void ourImageOfAnEmptyDirectoryIsRead(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("empty.sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().build())) {
            w.finish();
        }
        assertReadLikeUnsquashfs(image);
    }

    private static void assertReadLikeUnsquashfs(Path image) throws Exception {
        try (SquashfsImage img = SquashfsImage.open(image)) {
            img.verify();
            assertEquals(1, img.entries().size(), "only the root");
            StringBuilder ours = new StringBuilder();
            img.list(ours, "squashfs-root", ZoneOffset.UTC);
            String theirs = ExternalTool.check("env", "TZ=UTC", "unsquashfs", "-lln", image.toString());
            assertEquals(theirs.lines().filter(l -> l.contains("squashfs-root")).toList(), ours.toString().lines().toList());
        }
    }
}
