package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sysext.entry.ImageEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our reader lists what the writer wrote (and mkfs.erofs' images); corrupt images give a clear error. */
class ErofsImageTest {
    private static Path work;
    private static Path source;

    @BeforeAll
    static void makeTree() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "erofs-reader");
        source = Trees.edgeCases(work.resolve("src"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** path -> type, mode, owner, size of files, symlink target, device numbers: from lstat. */
    private static SortedMap<String, String> sourceListing(Path root) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,size", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                int type = mode & 0170000;
                long rdev = (Long) a.get("rdev");
                String extra = switch (type) {
                    case 0100000 -> " size=" + a.get("size");
                    case 0120000 -> " -> " + Files.readSymbolicLink(p);
                    case 0020000, 0060000 -> " dev=" + (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL)) + ","
                            + ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
                    default -> "";
                };
                out.put(root.relativize(p).toString(), String.format("%06o %d:%d%s", mode,
                        Integer.toUnsignedLong((Integer) a.get("uid")), Integer.toUnsignedLong((Integer) a.get("gid")), extra));
            }
        }
        return out;
    }

    private static SortedMap<String, String> imageListing(Path image) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        try (ErofsImage img = ErofsImage.open(image)) {
            for (ImageEntry e : img.entries()) {
                int type = Snapshot.typeBits(e.type());
                String extra = switch (e.type()) {
                    case FILE -> " size=" + e.size();
                    case SYMLINK -> " -> " + e.symlinkTarget();
                    case CHAR_DEVICE, BLOCK_DEVICE -> " dev=" + e.deviceMajor() + "," + e.deviceMinor();
                    default -> "";
                };
                assertTrue(out.put(e.path(), String.format("%06o %d:%d%s", type | e.mode(), e.uid(), e.gid(), extra)) == null,
                        "listed twice: " + e.path());
            }
        }
        return out;
    }

    @Test
    void listsOurImagesAsTheSource() throws IOException {
        SortedMap<String, String> want = sourceListing(source);
        for (String comp : new String[] {"none", "lz4hc,12"}) {
            Path image = work.resolve("ours.erofs");
            try (ErofsWriter w = ErofsWriter.create(image,
                    ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse(comp, 65536)))) {
                w.addTree(source);
                w.finish();
            }
            assertEquals(want, imageListing(image), comp);
        }
    }

    @Test
    void listsMkfsErofsImages() throws IOException {
        // mkfs.erofs 1.5 refuses 255-byte names: list a subtree without them.
        Path tree = source.resolve("files");
        Path image = work.resolve("theirs.erofs");
        Trees.run("mkfs.erofs", "-zlz4hc", "-T" + Trees.MTIME, image.toString(), tree.toString());
        assertEquals(sourceListing(tree), imageListing(image));
    }

    @Test
    void corruptImagesGiveAFormatErrorNeverAnotherFailure() throws IOException {
        Path image = work.resolve("corrupt.erofs");
        try (ErofsWriter w = ErofsWriter.create(image, ErofsOptions.of(Trees.MTIME))) {
            w.addTree(source.resolve("names"));
            w.addTree(source.resolve("wide"));
            w.finish();
        }
        byte[] good = Files.readAllBytes(image);
        Path bad = work.resolve("bad.erofs");
        Files.write(bad, java.util.Arrays.copyOf(good, 1100));
        assertTrue(assertThrows(ErofsFormatException.class, () -> ErofsImage.open(bad)).getMessage()
                .contains("superblock at offset 1024 (128 bytes) lies beyond the image's end"));
        byte[] noMagic = good.clone();
        noMagic[1024] = 0;
        Files.write(bad, noMagic);
        assertTrue(assertThrows(ErofsFormatException.class, () -> ErofsImage.open(bad)).getMessage()
                .contains("no EROFS superblock at offset 1024"));
        byte[] future = good.clone();
        future[1024 + 81] |= 1; // feature_incompat 0x100 (metabox), and no checksum to stop at first
        future[1024 + 8] &= ~1;
        Files.write(bad, future);
        assertTrue(assertThrows(ErofsFormatException.class, () -> ErofsImage.open(bad)).getMessage()
                .contains("incompatible features 0x100 are not read"));
        byte[] label = good.clone();
        label[1024 + 64] ^= 1; // the volume name: only the superblock checksum notices
        Files.write(bad, label);
        assertTrue(assertThrows(ErofsFormatException.class, () -> ErofsImage.open(bad)).getMessage()
                .contains("superblock at 1024: checksum"));
        // Random damage to the metadata and directory blocks: a listing or a format error, nothing else.
        int metaStart = 4096;
        Random r = new Random(15);
        int errors = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 4; k++) {
                b[metaStart + r.nextInt(b.length - metaStart)] = (byte) r.nextInt(256);
            }
            Files.write(bad, b);
            try (ErofsImage img = ErofsImage.open(bad)) {
                List<ImageEntry> entries = img.entries();
                assertTrue(entries.size() < 100_000);
            } catch (ErofsFormatException e) {
                errors++;
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            } catch (RuntimeException | IOException e) {
                fail("damage round " + i + " gave " + e, e);
            }
        }
        assertTrue(errors > 0, "no damage was noticed");
    }

    /** Reads every regular file of the image and compares it with the file of the same path under {@code tree}. */
    private static int assertContentMatches(Path image, Path tree) throws IOException {
        int files = 0;
        try (ErofsImage img = ErofsImage.open(image)) {
            for (ImageEntry e : img.entries()) {
                if (e.type() != dev.sysext.entry.ImageEntryType.FILE) {
                    continue;
                }
                byte[] got;
                try (java.io.InputStream in = img.open(e)) {
                    got = in.readAllBytes();
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(tree.resolve(e.path())), got,
                        image.getFileName() + ": " + e.path());
                files++;
            }
        }
        return files;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"none,65536", "lz4,4096", "lz4hc,65536", "lz4hc,1048576"})
    void readsTheContentOfEveryFileOurWriterWrote(String comp, int cluster) throws IOException {
        Path image = work.resolve("content-" + comp + "-" + cluster + ".erofs");
        try (ErofsWriter w = ErofsWriter.create(image,
                ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse(comp, cluster)))) {
            w.addTree(source);
            w.finish();
        }
        assertTrue(assertContentMatches(image, source) > 1300);
        try (ErofsImage img = ErofsImage.open(image)) {
            assertEquals("../files/size-1", img.lookup("links/short").orElseThrow().symlinkTarget());
            assertEquals("y/".repeat(2047) + "z", img.lookup("links/max").orElseThrow().symlinkTarget());
            assertTrue(img.lookup("files/nothing").isEmpty());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "-zlz4hc -Elegacy-compress",
        "-zlz4hc,12 -C65536 -Elegacy-compress,ztailpacking", "-zlz4hc", "-zlz4", "-zlz4hc,12 -C65536 -Eztailpacking"})
    void readsTheContentOfMkfsErofsImages(String options) throws IOException {
        // mkfs.erofs 1.5 refuses 255-byte names: a subtree without them.
        Path tree = source.resolve("files");
        Path image = work.resolve("theirs-content.erofs");
        List<String> command = new java.util.ArrayList<>(List.of("mkfs.erofs", "-T" + Trees.MTIME));
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split(" ")));
        }
        command.addAll(List.of(image.toString(), tree.toString()));
        Trees.run(command.toArray(String[]::new));
        assertTrue(assertContentMatches(image, tree) > 30);
    }

    @Test
    void compactIndexesAndUnpaddedClustersAreRead() throws IOException {
        Path tree = source.resolve("files");
        Path image = work.resolve("compact.erofs");
        // mkfs.erofs' default compact indexes; then lz4 without zero padding (the kernel decodes a prefix).
        Trees.run("mkfs.erofs", "-zlz4hc", "-T" + Trees.MTIME, image.toString(), tree.toString());
        assertEquals(3, layoutOf(image, "text-3000000"), "compact indexes");
        assertTrue(assertContentMatches(image, tree) > 30);
        Trees.run("mkfs.erofs", "-zlz4", "-Elegacy-compress", "-T" + Trees.MTIME, image.toString(), tree.toString());
        assertEquals(0, Files.readAllBytes(image)[1024 + 80] & 1, "lz4 zero padding is set");
        assertTrue(assertContentMatches(image, tree) > 30);
    }

    /** The data layout of {@code path}'s inode (bits 1-3 of i_format). */
    private static int layoutOf(Path image, String path) throws IOException {
        byte[] b = Files.readAllBytes(image);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long nid;
        try (ErofsImage img = ErofsImage.open(image)) {
            nid = img.lookup(path).orElseThrow().inodeReference();
        }
        int inode = (int) (Integer.toUnsignedLong(bb.getInt(1024 + 40)) * 4096 + nid * 32);
        return bb.getShort(inode) >> 1 & 7;
    }

    /** A small tree with what each reader part handles: compressed files, xattrs shared and inline, links. */
    private static Path smallTree(Path root) throws IOException {
        Random r = new Random(18);
        Files.createDirectories(root.resolve("d/e"));
        Trees.write(root.resolve("text-10000"), Trees.text(r, 10_000));
        Trees.write(root.resolve("text-70000"), Trees.text(r, 70_000));
        Trees.write(root.resolve("d/text-200001"), Trees.text(r, 200_001));
        Trees.write(root.resolve("d/noise-5000"), Trees.noise(r, 5000));
        Trees.write(root.resolve("d/e/small"), Trees.text(r, 300));
        Files.createLink(root.resolve("d/e/hard"), root.resolve("d/e/small"));
        Files.createSymbolicLink(root.resolve("d/link"), Path.of("../text-10000"));
        for (String f : new String[] {"text-10000", "text-70000", "d/noise-5000", "d"}) {
            Trees.xattr(root.resolve(f), "shared", "the same".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Trees.xattr(root.resolve("d/text-200001"), "own", Trees.noise(r, 100));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(root.resolve("d/sparse").toFile(), "rw")) {
            f.seek(70_000);
            f.write(1);
        }
        return root;
    }

    /** Everything a reader of the image may ask for: entries, xattrs, every file's bytes. Returns the bytes read. */
    private static long readCompletely(Path image) throws IOException {
        long bytes = 0;
        byte[] buf = new byte[65536];
        try (ErofsImage img = ErofsImage.open(image)) {
            for (ImageEntry e : img.entries()) {
                bytes += e.xattrs().size();
                if (e.type() == dev.sysext.entry.ImageEntryType.FILE) {
                    try (java.io.InputStream in = img.open(e)) {
                        for (int n; (n = in.read(buf)) > 0; ) {
                            bytes += n;
                        }
                    }
                }
            }
        }
        return bytes;
    }

    @Test
    void everyMutantOfOurAndMkfsErofsImagesReadsOrGivesAnIoErrorWithAMessage() throws Exception {
        Path tree = smallTree(work.resolve("small"));
        java.util.Map<String, Path> images = new java.util.LinkedHashMap<>();
        for (String comp : new String[] {"none", "lz4hc"}) {
            Path image = work.resolve("mutate-ours-" + comp + ".erofs");
            try (ErofsWriter w = ErofsWriter.create(image,
                    ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse(comp, 65536)))) {
                w.addTree(tree);
                w.finish();
            }
            images.put("ours " + comp, image);
        }
        for (String options : new String[] {"-zlz4hc -C65536 -Eztailpacking", "-zlz4", "-zlz4 -Elegacy-compress",
            "--chunksize=8192"}) {
            Path image = work.resolve("mutate-mkfs-" + images.size() + ".erofs");
            List<String> command = new java.util.ArrayList<>(List.of("mkfs.erofs", "-T" + Trees.MTIME));
            command.addAll(List.of(options.split(" ")));
            command.addAll(List.of(image.toString(), tree.toString()));
            Trees.run(command.toArray(String[]::new));
            images.put("mkfs.erofs " + options, image);
        }
        Path newer = ErofsUtils.DEFAULT;
        if (System.getenv("SYSEXT_EROFS_UTILS_NEW") != null) {
            newer = Path.of(System.getenv("SYSEXT_EROFS_UTILS_NEW"));
        }
        if (Files.isDirectory(newer)) {
            Path image = work.resolve("mutate-fragments.erofs");
            Trees.run(new ErofsUtils(newer).command("mkfs.erofs", List.of("-zlz4hc,12", "-C65536",
                    "-Efragments,ztailpacking", "-T" + Trees.MTIME, image.toString(), tree.toString())));
            images.put("mkfs.erofs 1.8 -Efragments,ztailpacking", image);
        } else {
            System.out.println("mutants: no newer erofs-utils in " + newer + ", no fragments image");
        }
        Path bad = work.resolve("mutant.erofs");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            int mutants = 0;
            int errors = 0;
            for (var image : images.entrySet()) {
                byte[] good = Files.readAllBytes(image.getValue());
                assertTrue(readCompletely(image.getValue()) > 280_000, image.getKey());
                Random r = new Random(image.getKey().hashCode());
                for (int i = 0; i < 160; i++) {
                    byte[] b = good.clone();
                    int changes = 1 + r.nextInt(4);
                    StringBuilder what = new StringBuilder();
                    for (int k = 0; k < changes; k++) {
                        // Half the changes hit the superblock and the first metadata blocks, where a byte means most.
                        int limit = r.nextBoolean() ? Math.min(b.length, 3 * 4096) : b.length;
                        int at = 1024 + r.nextInt(limit - 1024);
                        int value = r.nextInt(4) == 0 ? b[at] ^ (1 << r.nextInt(8)) : r.nextInt(256);
                        b[at] = (byte) value;
                        what.append(' ').append(at).append('=').append(value & 0xFF);
                    }
                    Files.write(bad, b);
                    mutants++;
                    String mutant = image.getKey() + ", mutant " + i + " (" + what.toString().trim() + ")";
                    java.util.concurrent.Future<Long> f = pool.submit(() -> readCompletely(bad));
                    try {
                        f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        f.cancel(true);
                        fail(mutant + ": still reading after 10 s");
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable c = e.getCause();
                        if (!(c instanceof IOException) || c.getMessage() == null || c.getMessage().isBlank()) {
                            fail(mutant + " gave " + c, c);
                        }
                        errors++;
                    }
                }
            }
            System.out.println("mutants: " + mutants + " of " + images.size() + " images read, " + errors
                    + " gave an I/O error with a message, the rest read through");
            assertTrue(errors > mutants / 10, "damage was rarely noticed: " + errors + " of " + mutants);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void damagedCompressedDataGivesAFormatErrorOrBytesNeverAnotherFailure() throws IOException {
        Path tree = source.resolve("files");
        Path image = work.resolve("damaged-content.erofs");
        try (ErofsWriter w = ErofsWriter.create(image,
                ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse("lz4hc", 65536)))) {
            w.addTree(tree);
            w.finish();
        }
        byte[] good = Files.readAllBytes(image);
        Path bad = work.resolve("damaged.erofs");
        Random r = new Random(16);
        int errors = 0;
        for (int i = 0; i < 60; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 8; k++) {
                b[4096 + r.nextInt(b.length - 4096)] = (byte) r.nextInt(256);
            }
            Files.write(bad, b);
            try (ErofsImage img = ErofsImage.open(bad)) {
                for (ImageEntry e : img.entries()) {
                    if (e.type() == dev.sysext.entry.ImageEntryType.FILE) {
                        try (java.io.InputStream in = img.open(e)) {
                            assertTrue(in.readAllBytes().length <= e.size());
                        }
                    }
                }
            } catch (ErofsFormatException e) {
                errors++;
                assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
            } catch (RuntimeException | IOException e) {
                fail("damage round " + i + " gave " + e, e);
            }
        }
        assertTrue(errors > 0, "no damage was noticed");
    }
}
