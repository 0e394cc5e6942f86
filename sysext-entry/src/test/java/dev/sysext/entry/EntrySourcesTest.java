package dev.sysext.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared directory walker, tar reader and extractor, judged without either image format: the
 * sources feed a writer that records each call, the extractor reads an image held in memory.
 */
class EntrySourcesTest {

    /** Records what a source adds, one line per call; refuses the path it is told to. */
    private static final class RecordingWriter implements EntryWriter {
        final List<String> calls = new ArrayList<>();
        String refuse;
        boolean failed;

        private void add(String what, String path, EntryMetadata m) {
            if (path.equals(refuse)) {
                throw new IllegalArgumentException("refused on purpose");
            }
            calls.add(what + " " + path + (m == null ? "" : String.format(" %04o %d:%d %d %s", m.permissions(), m.uid(),
                    m.gid(), m.mtime(), m.xattrs().keySet())));
        }

        @Override
        public void directory(String path, EntryMetadata metadata) {
            add("dir", path, metadata);
        }

        @Override
        public void file(String path, EntryMetadata metadata, InputStream content, long size) throws IOException {
            add("file", path, metadata);
            calls.add("  content " + new String(content.readNBytes((int) size), StandardCharsets.UTF_8));
        }

        @Override
        public void file(String path, EntryMetadata metadata, Path source) throws IOException {
            add("file", path, metadata);
            calls.add("  from " + Files.readString(source));
        }

        @Override
        public void file(String path, EntryMetadata metadata, Path source, long size) throws IOException {
            add("file", path, metadata);
            calls.add("  from " + Files.readString(source) + " size " + size);
        }

        @Override
        public void symlink(String path, EntryMetadata metadata, String target) {
            add("symlink", path + " -> " + target, null);
        }

        @Override
        public void hardLink(String path, String target) {
            add("link", path + " = " + target, null);
        }

        @Override
        public void charDevice(String path, EntryMetadata metadata, int major, int minor) {
            add("chr " + major + "," + minor, path, null);
        }

        @Override
        public void blockDevice(String path, EntryMetadata metadata, int major, int minor) {
            add("blk " + major + "," + minor, path, null);
        }

        @Override
        public void fifo(String path, EntryMetadata metadata) {
            add("fifo", path, null);
        }

        @Override
        public void socket(String path, EntryMetadata metadata) {
            add("socket", path, null);
        }

        @Override
        public void failed() {
            failed = true;
        }
    }

    private static Path tree(Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("b/sub"));
        Files.writeString(root.resolve("b/sub/x"), "x");
        Files.writeString(root.resolve("a"), "aa");
        Files.createLink(root.resolve("c-link"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("d"), Path.of("../somewhere"));
        run("mkfifo", root.resolve("e").toString());
        run("setfattr", "-n", "user.note", "-v", "n", root.resolve("a").toString());
        run("chown", "-R", "7:8", root.toString());
        run("chmod", "644", root.resolve("a").toString(), root.resolve("b/sub/x").toString());
        run("chmod", "755", root.resolve("b/sub").toString(), root.resolve("b").toString(), root.toString());
        run("touch", "-h", "-d", "@1700000000", root.resolve("a").toString(), root.resolve("b/sub/x").toString(),
                root.resolve("b/sub").toString(), root.resolve("b").toString(), root.toString());
        return root;
    }

    @Test
    void directorySourceWalksInNameOrderWithLinksOwnersAndXattrs(@TempDir Path dir) throws Exception {
        Path root = tree(dir);
        RecordingWriter w = new RecordingWriter();
        DirectorySource.addTree(w, root, true);
        assertEquals(List.of(
                "dir  0755 7:8 1700000000 []",
                "file a 0644 7:8 1700000000 [user.note]",
                "  from aa size 2",
                "dir b 0755 7:8 1700000000 []",
                "dir b/sub 0755 7:8 1700000000 []",
                "file b/sub/x 0644 7:8 1700000000 []",
                "  from x size 1",
                "link c-link = a",
                "symlink d -> ../somewhere",
                "fifo e"), w.calls);
        assertEquals(false, w.failed);

        RecordingWriter noXattrs = new RecordingWriter();
        DirectorySource.addTree(noXattrs, root, false);
        assertEquals("file a 0644 7:8 1700000000 []", noXattrs.calls.get(1));
    }

    @Test
    void directorySourceNamesTheFileTheWriterRefusesAndTellsTheWriter(@TempDir Path dir) throws Exception {
        Path root = tree(dir);
        RecordingWriter w = new RecordingWriter();
        w.refuse = "b/sub/x";
        IOException e = assertThrows(IOException.class, () -> DirectorySource.addTree(w, root, true));
        assertEquals(root.resolve("b/sub/x") + ": refused on purpose", e.getMessage());
        assertTrue(w.failed);

        RecordingWriter notADirectory = new RecordingWriter();
        assertThrows(NotDirectoryException.class,
                () -> DirectorySource.addTree(notADirectory, root.resolve("a"), true));
        assertTrue(notADirectory.failed);
    }

    @Test
    void tarSourceReadsWhatGnuTarWrote(@TempDir Path dir) throws Exception {
        Path root = tree(dir);
        Path tar = dir.resolve("tree.tar.gz");
        run("tar", "--xattrs", "--format=pax", "--sort=name", "-C", root.toString(), "-czf", tar.toString(), ".");
        RecordingWriter w = new RecordingWriter();
        TarSource.addArchive(w, tar, true);
        assertEquals(List.of(
                "dir ./ 0755 7:8 1700000000 []",
                "file ./a 0644 7:8 1700000000 [user.note]",
                "  content aa",
                "dir ./b/ 0755 7:8 1700000000 []",
                "dir ./b/sub/ 0755 7:8 1700000000 []",
                "file ./b/sub/x 0644 7:8 1700000000 []",
                "  content x",
                "link ./c-link = ./a",
                "symlink ./d -> ../somewhere",
                "fifo ./e"), w.calls);
        assertEquals(false, w.failed);
    }

    @Test
    void tarSourceRefusesPathsOutsideTheImageNamingArchiveAndEntry(@TempDir Path dir) throws Exception {
        Path root = tree(dir);
        Path tar = dir.resolve("escape.tar");
        // -P: GNU tar would strip the leading ../ otherwise.
        run("tar", "-P", "-C", root.toString(), "-cf", tar.toString(), "--transform=s,^a$,../a,", "a");
        RecordingWriter w = new RecordingWriter();
        IOException e = assertThrows(IOException.class, () -> TarSource.addArchive(w, tar, true));
        assertEquals(tar + ": entry '../a' contains '..'; refusing it", e.getMessage());
        assertTrue(w.failed);

        RecordingWriter empty = new RecordingWriter();
        IOException none = assertThrows(IOException.class,
                () -> TarSource.addStream(empty, new ByteArrayInputStream(new byte[0]), "nothing.tar", true));
        assertEquals("nothing.tar: not a tar archive, or an empty one", none.getMessage());
        assertTrue(empty.failed);
    }

    /** An image held in memory: the extractor needs nothing but entries and content. */
    private record MemoryImage(List<ImageEntry> entries, Map<String, byte[]> content) implements ImageReader {
        @Override
        public Path path() {
            return Path.of("memory");
        }

        @Override
        public InputStream open(ImageEntry file) {
            return new ByteArrayInputStream(content.get(file.path()));
        }

        @Override
        public void close() {
        }
    }

    private static ImageEntry entry(String path, ImageEntryType type, int mode, long size, long inode, String target) {
        return new ImageEntry(path, type, mode, 0, 0, 1_600_000_000L, size, 1, inode, target, 0, 0,
                List.of(new ImageXattr("user.origin", path.getBytes(StandardCharsets.UTF_8))), inode);
    }

    @Test
    void extractionKeepsHolesLinksAndModesAndRefusesToLeaveTheDestination(@TempDir Path dir) throws Exception {
        byte[] sparse = new byte[1 << 20];
        Arrays.fill(sparse, 0, 10, (byte) 1);
        Arrays.fill(sparse, sparse.length - 10, sparse.length, (byte) 2);
        List<ImageEntry> entries = List.of(
                entry("", ImageEntryType.DIRECTORY, 0755, 0, 1, null),
                entry("dir", ImageEntryType.DIRECTORY, 0500, 0, 2, null),
                entry("dir/sparse", ImageEntryType.FILE, 0640, sparse.length, 3, null),
                entry("dir/sparse-again", ImageEntryType.FILE, 0640, sparse.length, 3, null),
                entry("dir/link", ImageEntryType.SYMLINK, 0777, 6, 4, "sparse"));
        MemoryImage image = new MemoryImage(entries, Map.of("dir/sparse", sparse));
        Path dest = dir.resolve("out");
        ImageExtractReport report = image.extract(dest, new ImageExtractOptions(true, false, false));
        assertEquals(new ImageExtractReport(2, 1, 1, 1, 0, List.of()), report);
        Path file = dest.resolve("dir/sparse");
        assertTrue(Arrays.equals(sparse, Files.readAllBytes(file)));
        assertEquals(Files.getAttribute(file, "unix:ino"), Files.getAttribute(dest.resolve("dir/sparse-again"), "unix:ino"));
        assertEquals(Path.of("sparse"), Files.readSymbolicLink(dest.resolve("dir/link")));
        assertEquals(0500, (Integer) Files.getAttribute(dest.resolve("dir"), "unix:mode") & 07777);
        assertEquals("dir/sparse", run("getfattr", "--absolute-names", "--only-values", "-n", "user.origin", file.toString()));
        // Two pages of data in a 1 MiB file: the rest must be holes.
        long allocated = Long.parseLong(run("stat", "-c", "%b", file.toString()).strip()) * 512;
        assertTrue(allocated <= 4 * 4096, "allocated " + allocated);
        StringBuilder listing = new StringBuilder();
        image.list(listing, "root", java.time.ZoneOffset.UTC);
        String line = listing.toString().lines().toList().get(1);
        assertTrue(line.startsWith("dr-x------ 0/0 ") && line.endsWith(" 0 2020-09-13 12:26 root/dir"), line);
        assertEquals(64, line.length(), line); // owner and size right-aligned in 25 columns, as unsquashfs prints them

        MemoryImage escaping = new MemoryImage(List.of(entry("", ImageEntryType.DIRECTORY, 0755, 0, 1, null),
                entry("../outside", ImageEntryType.SYMLINK, 0777, 1, 2, "x")), Map.of());
        IOException e = assertThrows(IOException.class,
                () -> escaping.extract(dir.resolve("out2"), new ImageExtractOptions(false, false, false)));
        assertTrue(e.getMessage().startsWith("refusing to write '../outside' outside "), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("outside")));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
