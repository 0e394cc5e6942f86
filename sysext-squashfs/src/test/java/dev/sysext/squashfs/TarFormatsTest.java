package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sysext.entry.TarSource;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Long names, long link targets and special files through every tar header format GNU tar writes. */
class TarFormatsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gnu", "pax", "ustar", "oldgnu"})
    void tarFormatsGiveTheTreeBack(String format, @TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Random r = new Random(5);
        boolean ustar = format.equals("ustar");
        // ustar cannot store names over 100 bytes (or paths over 255), so it gets shorter ones.
        String longName = ustar ? "n".repeat(90) : "n".repeat(255);
        Path deep = src;
        for (int i = 0; i < (ustar ? 5 : 30); i++) {
            deep = deep.resolve("directory-" + i);
        }
        Files.createDirectories(deep);
        Files.write(deep.resolve("bottom"), TestTrees.text(r, 5000));
        Files.write(src.resolve(longName), TestTrees.text(r, 300));
        Files.createLink(deep.resolve("hard"), src.resolve(longName));
        Files.createSymbolicLink(src.resolve("link"), Path.of((ustar ? "t/" : "target/").repeat(ustar ? 40 : 200)));
        Files.writeString(src.resolve("ünï名前"), "x", StandardCharsets.UTF_8);
        ExternalTool.check("mkfifo", src.resolve("fifo").toString());
        ExternalTool.check("mknod", src.resolve("tty").toString(), "c", "5", "0");
        TestTrees.chmod(src.resolve("ünï名前"), 06711);
        TestTrees.chown(src.resolve("ünï名前"), 4321, 8765);
        TestTrees.fixTimes(src, 1_650_000_000L);

        Path tar = dir.resolve("tree.tar");
        ExternalTool.check("tar", "--format=" + format, "--sort=name", "-C", src.toString(), "-cf", tar.toString(), ".");
        Path image = dir.resolve("tar.sqfs");
        try (SquashfsWriter w = SquashfsWriter.create(image, WriterOptions.builder().mkfsTime(1).build())) {
            TarSource.addArchive(w, tar, true);
            w.finish();
        }
        Set<TreeSnapshot.Aspect> aspects = EnumSet.allOf(TreeSnapshot.Aspect.class);
        aspects.remove(TreeSnapshot.Aspect.XATTRS);
        ImageCheck.kernelMatches(src, image, dir, aspects);

        Path fromDir = ImageCheck.build(src, dir.resolve("dir.sqfs"), WriterOptions.builder().mkfsTime(1).build());
        assertEquals(-1, Files.mismatch(fromDir, image), "the " + format + " tar image differs from the directory image");
    }
}
