package dev.sysext.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.squashfs.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of {@link ImageTree}, checked on real images with unsquashfs. */
class ImageTreeTest {
    private static final long EPOCH = 1_234_567_890L; // 2009-02-13 23:31 UTC

    @TempDir
    Path dir;

    private interface Layout {
        void into(ImageTree tree) throws IOException;
    }

    /** Writes an image with {@code layout}; returns it, or throws what the layout threw. */
    private Path image(Layout layout) throws IOException {
        Path image = dir.resolve("test.raw");
        try (SquashfsWriter w = SquashfsWriter.create(image, BuildRequest.imageOptions(WriterOptions.builder(), EPOCH))) {
            layout.into(new ImageTree(w, EPOCH));
            w.finish();
        }
        return image;
    }

    private static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out;

        Tar() throws IOException {
            out = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        Tar file(String name, int mode, String content) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setMode(mode);
            e.setSize(data.length);
            e.setIds(1000, 1000);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        Tar link(String name, byte type, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setLinkName(target);
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
            return this;
        }

        Path write(Path file) throws IOException {
            out.close();
            return Files.write(file, bytes.toByteArray());
        }
    }

    @Test
    void everythingIsRootOwnedAtTheEpochWithNormalisedModes() throws Exception {
        Path tar = new Tar().file("./bin/tool", 04775, "#!/bin/sh\n").file("bin/data", 0666, "x")
                .link("bin/alias", TarConstants.LF_SYMLINK, "tool").link("bin/same", TarConstants.LF_LINK, "bin/tool")
                .file("README", 0644, "left out").write(dir.resolve("t.tar.gz"));
        Path image = image(tree -> {
            assertEquals(4, tree.tarball(tar, n -> n.startsWith("bin/") ? Optional.of("opt/x/" + n) : Optional.empty()));
            tree.file("usr/lib/systemd/system/x.service", false, "[Service]\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(tree.shipsUnits());
        });
        assertEquals(List.of(
                "drwxr-xr-x 0/0 2009-02-13 23:31 /",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /opt",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /opt/x",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /opt/x/bin",
                "lrwxrwxrwx 0/0 2009-02-13 23:31 /opt/x/bin/alias -> tool",
                "-rw-r--r-- 0/0 2009-02-13 23:31 /opt/x/bin/data",
                "-rwxr-xr-x 0/0 2009-02-13 23:31 /opt/x/bin/same",
                "-rwxr-xr-x 0/0 2009-02-13 23:31 /opt/x/bin/tool",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /usr",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /usr/lib",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /usr/lib/systemd",
                "drwxr-xr-x 0/0 2009-02-13 23:31 /usr/lib/systemd/system",
                "-rw-r--r-- 0/0 2009-02-13 23:31 /usr/lib/systemd/system/x.service"), Unsquashfs.list(image));
        assertEquals("#!/bin/sh\n", Unsquashfs.cat(image, "opt/x/bin/same"));
    }

    @Test
    void pathsOutsideUsrAndOptOrInSbinOrTwiceAreRefused() {
        assertRefused("'etc/x' is outside usr/ and opt/", t -> t.file("etc/x", false, new byte[0]));
        assertRefused("absolute path '/usr/bin/x' refused", t -> t.file("/usr/bin/x", false, new byte[0]));
        assertRefused("climbs out of its tree", t -> t.file("usr/../etc/x", false, new byte[0]));
        assertRefused("'usr/sbin/x' is in usr/sbin", t -> t.file("usr/sbin/x", false, new byte[0]));
        assertRefused("file 'usr/bin/x' is added twice", t -> {
            t.file("usr/bin/x", false, new byte[0]);
            t.file("./usr//bin/x", false, new byte[0]);
        });
    }

    @Test
    void tarEntriesThatEscapeAreRefusedByName() throws Exception {
        assertTarRefused("entry '../evil'", new Tar().file("bin/ok", 0755, "").file("../evil", 0755, ""));
        assertTarRefused("entry '/etc/passwd': absolute path", new Tar().file("/etc/passwd", 0644, ""));
        assertTarRefused("entry 'bin/x': symbolic link to '../../etc/shadow' points outside",
                new Tar().link("bin/x", TarConstants.LF_SYMLINK, "../../etc/shadow"));
        assertTarRefused("entry 'bin/x': symbolic link to '/etc/shadow' points outside",
                new Tar().link("bin/x", TarConstants.LF_SYMLINK, "/etc/shadow"));
        assertTarRefused("entry 'bin/x': hard link to 'bin/later', which is not an earlier file",
                new Tar().link("bin/x", TarConstants.LF_LINK, "bin/later"));
        assertTarRefused("entry 'bin/x' (hard link target): path '../../etc/shadow' climbs out",
                new Tar().link("bin/x", TarConstants.LF_LINK, "../../etc/shadow"));
        assertTarRefused("entry 'bin/dev': devices, FIFOs and sockets have no place",
                new Tar().link("bin/dev", TarConstants.LF_CHR, ""));
    }

    @Test
    void truncatedArchivesNameTheArchiveAndTheEntry() throws Exception {
        byte[] random = new byte[200_000];
        new Random(9).nextBytes(random);
        String content = new String(random, StandardCharsets.ISO_8859_1);
        Path whole = new Tar().file("bin/ctr", 0755, content)
                .file("bin/z", 0755, "after").write(dir.resolve("whole.tar.gz"));
        Path cut = Files.write(dir.resolve("containerd.tar.gz"),
                Arrays.copyOf(Files.readAllBytes(whole), (int) Files.size(whole) / 2));
        String expected = cut + ": entry 'bin/ctr': truncated gzip stream after " + Files.size(cut) + " bytes";
        // Read into the image, and skipped because the recipe leaves it out: the same message.
        assertRefused(expected, t -> t.tarball(cut, n -> Optional.of("usr/" + n)));
        assertRefused(expected, t -> t.tarball(cut, n -> Optional.empty()));

        // The plain tar: headers and data as written, then cut inside bin/ctr's data.
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(whole))) {
            in.transferTo(plain);
        }
        Path tar = Files.write(dir.resolve("containerd.tar"), Arrays.copyOf(plain.toByteArray(), 512 + 1000));
        assertRefused(tar + ": entry 'bin/ctr': archive ends inside it (after 1000 of "
                + content.getBytes(StandardCharsets.UTF_8).length + " bytes)",
                t -> t.tarball(tar, n -> Optional.of("usr/" + n)));
    }

    private void assertTarRefused(String message, Tar tar) throws IOException {
        Path file = tar.write(dir.resolve("bad.tar.gz"));
        assertRefused("bad.tar.gz: " + message, t -> t.tarball(file, n -> Optional.of("usr/" + n)));
    }

    private void assertRefused(String message, Layout layout) {
        StageException e = assertThrows(StageException.class, () -> image(layout));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(Files.exists(dir.resolve("test.raw")), "no image is left behind");
    }
}
