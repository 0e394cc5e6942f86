package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.testing.TreeSnapshot;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Superblock facts against {@code unsquashfs -s}, big sparse files, concurrency and extraction safety. */
class SquashfsImageApiTest {

    static Stream<List<String>> settings() {
        return Stream.of(
                List.of("-comp", "gzip"),
                List.of("-comp", "gzip", "-Xcompression-level", "4", "-Xwindow-size", "12", "-no-exports", "-tailends"),
                List.of("-comp", "xz", "-Xbcj", "x86,arm", "-Xdict-size", "50%"),
                List.of("-comp", "lz4", "-Xhc", "-b", "16384"),
                List.of("-comp", "zstd", "-Xcompression-level", "19", "-no-fragments"));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void infoMatchesUnsquashfsSuperblockReport(List<String> options, @TempDir Path dir) throws Exception {
        Path src = TestTrees.random(dir.resolve("src"), options.hashCode(), 60, 16384);
        Path img = ExternalTool.mksquashfs(src, dir.resolve("img"), options.toArray(String[]::new));
        Map<String, String> s = new HashMap<>();
        for (String line : ExternalTool.stdout("unsquashfs", "-s", img.toString()).split("\n")) {
            String l = line.strip();
            for (String key : new String[] {"Compression ", "Block size ", "Number of fragments ", "Number of inodes ",
                "Number of ids ", "Number of xattr ids ", "Filesystem size ", "compression-level ", "window-size ",
                "Dictionary size ", "Filters selected: "}) {
                if (l.startsWith(key)) {
                    s.put(key.strip(), l.substring(key.length()).split(" bytes")[0]);
                }
            }
            s.putIfAbsent("exportable", "no");
            if (l.equals("Filesystem is exportable via NFS")) {
                s.put("exportable", "yes");
            }
            if (l.startsWith("High Compression option")) {
                s.put("hc", "yes");
            }
            if (l.equals("Always-use-fragments option is specified")) {
                s.put("tailends", "yes");
            }
        }
        try (SquashfsImage image = SquashfsImage.open(img)) {
            ImageInfo i = image.info();
            assertEquals(s.get("Compression"), i.compression().displayName());
            assertEquals(s.get("Block size"), Integer.toString(i.blockSize()));
            assertEquals(s.get("Number of fragments"), Long.toString(i.fragmentCount()));
            assertEquals(s.get("Number of inodes"), Long.toString(i.inodeCount()));
            assertEquals(s.get("Number of ids"), Integer.toString(i.idCount()));
            assertEquals(s.get("Number of xattr ids"), Long.toString(i.xattrIdCount()));
            assertEquals(s.get("Filesystem size"), Long.toString(i.bytesUsed()));
            assertEquals(Files.size(img), i.imageSize());
            assertEquals(s.get("exportable"), i.exportable() ? "yes" : "no");
            assertEquals(s.containsKey("hc"), i.compressor() instanceof CompressorConfig.Lz4 l && l.highCompression());
            assertEquals(s.containsKey("tailends"), i.flagNames().contains("always-fragments"));
            if (i.compressor() instanceof CompressorConfig.Gzip g) {
                assertEquals(s.getOrDefault("compression-level", "9"), Integer.toString(g.level()));
                assertEquals(s.getOrDefault("window-size", "15"), Integer.toString(g.window()));
            } else if (i.compressor() instanceof CompressorConfig.Zstd z) {
                assertEquals(s.getOrDefault("compression-level", "15"), Integer.toString(z.level()));
            } else if (i.compressor() instanceof CompressorConfig.Xz x) {
                assertEquals(s.get("Dictionary size"), Integer.toString(x.dictionarySize()));
                assertEquals(s.get("Filters selected:"), String.join(", ",
                        x.filters().stream().map(XzFilter::displayName).toList()));
            }
            image.verify();
        }
    }

    @Test
    void fileOverFourGibibytesStreamsFromSparseBlocks(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        long size = (9L << 29) + 1000; // 4.5 GiB + 1000: past the 32-bit size and start fields
        byte[] tail = TestTrees.noise(new Random(3), 1000);
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("huge").toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - tail.length);
            f.write(tail);
        }
        Path img = ExternalTool.mksquashfs(src, dir.resolve("huge.sqfs"), "-comp", "lz4", "-b", "1M");
        try (SquashfsImage image = SquashfsImage.open(img)) {
            ImageEntry e = image.lookup("huge").orElseThrow();
            assertEquals(size, e.size());
            StringBuilder listing = new StringBuilder();
            image.list(listing, "squashfs-root", ZoneId.systemDefault());
            assertEquals(ExternalTool.unsquashfsListing(img), listing.toString());
            byte[] buf = new byte[1 << 20];
            byte[] last = new byte[tail.length];
            long total = 0;
            boolean zeros = true;
            try (InputStream in = image.open(e)) {
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    long end = total + n;
                    for (int k = 0; k < n && zeros; k++) {
                        zeros = buf[k] == 0 || total + k >= size - tail.length;
                    }
                    if (end > size - tail.length) {
                        int from = (int) Math.max(0, size - tail.length - total);
                        System.arraycopy(buf, from, last, (int) (total + from - (size - tail.length)), n - from);
                    }
                    total = end;
                }
            }
            assertEquals(size, total);
            assertTrue(zeros, "the hole reads as zeros");
            assertArrayEquals(tail, last);
        }
    }

    @Test
    void concurrentReadersGetTheSameContent(@TempDir Path dir) throws Exception {
        Path src = TestTrees.random(dir.resolve("src"), 99, 300, 4096);
        Path img = ExternalTool.mksquashfs(src, dir.resolve("img"), "-b", "4096", "-comp", "zstd");
        try (SquashfsImage image = SquashfsImage.open(img)) {
            List<ImageEntry> files = image.entries().stream().filter(ImageEntry::isFile).toList();
            Map<String, String> sequential = new HashMap<>();
            for (ImageEntry f : files) {
                sequential.put(f.path(), TreeSnapshot.sha256(image.open(f)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Map<String, String>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int shift = t;
                    results.add(pool.submit(() -> {
                        Map<String, String> m = new HashMap<>();
                        for (int k = 0; k < files.size(); k++) {
                            ImageEntry f = files.get((k + shift * 37) % files.size());
                            m.put(f.path(), TreeSnapshot.sha256(image.open(f)));
                        }
                        return m;
                    }));
                }
                for (Future<Map<String, String>> r : results) {
                    assertEquals(sequential, r.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void extractionReplacesSymlinksInTheWayInsteadOfFollowingThem(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/etc"));
        Files.writeString(src.resolve("passwd"), "from the image\n");
        Path img = ExternalTool.mksquashfs(dir.resolve("src"), dir.resolve("img"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "must survive\n");
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Files.createSymbolicLink(dest.resolve("etc"), outside);
        try (SquashfsImage image = SquashfsImage.open(img)) {
            assertThrows(java.nio.file.FileAlreadyExistsException.class,
                    () -> image.extract(dest, new ImageExtractOptions(false, false, false)));
            image.extract(dest, new ImageExtractOptions(false, true, false));
        }
        assertEquals("must survive\n", Files.readString(outside.resolve("passwd")));
        assertFalse(Files.isSymbolicLink(dest.resolve("etc")));
        assertTrue(Files.isDirectory(dest.resolve("etc"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("from the image\n", Files.readString(dest.resolve("etc/passwd")));
    }

    @Test
    void openingSomethingElseIsAFormatError(@TempDir Path dir) throws Exception {
        Path notAnImage = Files.writeString(dir.resolve("text"), "hello, this is not squashfs at all. ".repeat(10));
        SquashfsFormatException e = assertThrows(SquashfsFormatException.class, () -> SquashfsImage.open(notAnImage));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty"));
        e = assertThrows(SquashfsFormatException.class, () -> SquashfsImage.open(empty));
        assertTrue(e.getMessage().contains("shorter than a superblock"), e.getMessage());
    }
}
