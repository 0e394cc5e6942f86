package dev.sysext.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.squashfs.testing.ExternalTool;
import dev.sysext.squashfs.testing.TestTrees;
import dev.sysext.squashfs.internal.format.Layout;
import dev.sysext.squashfs.internal.format.Superblock;
import dev.sysext.squashfs.internal.read.ImageStructure;
import dev.sysext.squashfs.internal.read.Inode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt and truncated images must fail with a {@link SquashfsFormatException} that names what is
 * wrong, and never hang, overflow the stack or throw anything else.
 */
class CorruptImageTest {
    /** A hang guard, not a performance assertion: a healthy read of these images takes milliseconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    /** Every table compressed (gzip). */
    static byte[] packed;
    /** Every table stored raw, so tests can find and edit structures by offset. */
    static byte[] raw;

    @BeforeAll
    static void buildImages() throws Exception {
        Path src = Files.createDirectories(work.resolve("src"));
        Random r = new Random(7);
        Files.write(src.resolve("multi-block"), TestTrees.text(r, 3 * 4096 + 100));
        Files.write(src.resolve("noise"), TestTrees.noise(r, 5000));
        Files.writeString(src.resolve("small"), "small file\n");
        Files.createLink(src.resolve("small-link"), src.resolve("small"));
        Files.createSymbolicLink(src.resolve("symlink"), Path.of("small"));
        Path many = Files.createDirectory(src.resolve("many"));
        for (int i = 0; i < 300; i++) {
            Files.writeString(many.resolve("entry-" + i), "entry " + i);
        }
        Files.createDirectories(src.resolve("loop/inner/deeper"));
        byte[] shared = TestTrees.text(r, 200);
        for (String name : new String[] {"small", "noise", "many"}) {
            TestTrees.xattr(src.resolve(name), "shared", shared);
            TestTrees.xattr(src.resolve(name), "name", name.getBytes(StandardCharsets.UTF_8));
        }
        packed = Files.readAllBytes(ExternalTool.mksquashfs(src, work.resolve("packed.sqfs"), "-b", "4096"));
        raw = Files.readAllBytes(ExternalTool.mksquashfs(src, work.resolve("raw.sqfs"), "-b", "4096",
                "-noI", "-noD", "-noF", "-noX", "-noId"));
    }

    @Test
    void intactImagesReadCompletely() throws Exception {
        assertEquals(null, exercise(packed, "packed"));
        assertEquals(null, exercise(raw, "raw"));
    }

    @Test
    void truncatedImagesFail() throws Exception {
        Superblock sb = Superblock.decode(raw, raw.length);
        long[] cuts = {0, 4, 50, 95, 96, 200, sb.inodeTableStart(), sb.directoryTableStart(), sb.idTableStart(),
            sb.bytesUsed() - 1};
        for (long cut : cuts) {
            SquashfsFormatException e = exercise(Arrays.copyOf(raw, (int) cut), "cut at " + cut);
            assertTrue(e != null && (e.getMessage().contains("superblock") || e.getMessage().contains("truncated")),
                    "cut at " + cut + ": " + e);
        }
    }

    @Test
    void superblockDamageIsNamed() throws Exception {
        Superblock sb = Superblock.decode(raw, raw.length);
        expectFailure(withU32(raw, 0, 0x73717369), "bad magic");
        expectFailure(withU16(raw, 28, 3), "version");
        expectFailure(withU16(raw, 22, 13), "block size");
        expectFailure(withU16(raw, 20, 9), "compressor id 9");
        expectFailure(withU16(raw, 26, 0), "id count is 0");
        expectFailure(withU32(raw, 16, 1_000_000), "fragment table");
        expectFailure(withU64(raw, 64, sb.directoryTableStart()), "inode table");
        expectFailure(withU64(raw, 48, sb.bytesUsed() + 8), "id table");
        expectFailure(withU64(raw, 80, 0x7FFF_FFFF_0000L), "fragment table");
        expectFailure(withU64(raw, 32, Layout.metadataRef(1 << 24, 0)), "inode table: reference to block");
        expectFailure(withU32(raw, 4, 2), "inode number");
    }

    @Test
    void tableDamageIsNamed() throws Exception {
        Superblock sb = Superblock.decode(raw, raw.length);
        int inodes = (int) sb.inodeTableStart();
        int dirs = (int) sb.directoryTableStart();
        // Metadata block headers: impossible size, then a claim of compression on raw bytes.
        expectFailure(withU16(raw, inodes, 0x8000 | 9000), "inode table: metadata block at offset " + inodes);
        expectFailure(withU16(raw, inodes, u16(raw, inodes) & 0x7FFF), "inode table");
        expectFailure(withU16(raw, dirs, 0), "directory table");
        // The first inode: an unknown type.
        expectFailure(withU16(raw, inodes + 2, 0x77), "has type 119");
        // The root listing's first header claims 4096 entries.
        try (ImageStructure s = structure(raw)) {
            Inode root = s.root();
            int header = dirs + 2 + (int) root.blocksStart() + root.listingOffset();
            expectFailure(withU32(raw, header, 4095), "directory table: listing of inode " + root.number());
        }
        // Fragment entry size word, id table location, export entry, xattr key/value start.
        long fragLoc = u64(raw, (int) sb.fragmentTableStart());
        expectFailure(withU32(raw, (int) fragLoc + 2 + 8, 0x7F00_0000), "fragment table: fragment 0");
        expectFailure(withU64(raw, (int) sb.idTableStart(), 17), "id table");
        long exportLoc = u64(raw, (int) sb.exportTableStart());
        expectFailure(withU64(raw, (int) exportLoc + 2, Layout.metadataRef(0, 4)), "export table");
        expectFailure(withU64(raw, (int) sb.xattrIdTableStart(), sb.bytesUsed() * 2), "xattr");
        long xattrIdLoc = u64(raw, (int) sb.xattrIdTableStart() + 16);
        expectFailure(withU32(raw, (int) xattrIdLoc + 2 + 8, 0x7FFF_FFFF), "xattr table");
    }

    @Test
    void damagedDataBlockSizeWordIsNamed() throws Exception {
        int pos;
        try (ImageStructure s = structure(raw); SquashfsImage img = SquashfsImage.open(work.resolve("raw.sqfs"))) {
            ImageEntry e = img.lookup("multi-block").orElseThrow();
            Inode inode = s.inode(e.inodeReference());
            pos = (int) inode.blockListPosition() + 2 + inode.blockListOffset();
        }
        expectFailure(withU32(raw, pos, 0x00FF_FFFF), "data block 0");
        expectFailure(withU32(raw, pos + 4, 0x0100_0000 | 4000), "uncompressed block of 4000 bytes, expected 4096");
        // A block that claims to be compressed but is not: the codec rejects it.
        int word = (int) u32(raw, pos + 8);
        expectFailure(withU32(raw, pos + 8, word & ~Layout.DATA_UNCOMPRESSED), "data block 2");
    }

    @Test
    void namesThatWouldLeaveTheDestinationAreRefused() throws Exception {
        Superblock sb = Superblock.decode(raw, raw.length);
        int dirs = (int) sb.directoryTableStart();
        int at = indexOf(raw, "small".getBytes(StandardCharsets.US_ASCII), dirs);
        byte[] img = raw.clone();
        System.arraycopy("../..".getBytes(StandardCharsets.US_ASCII), 0, img, at, 5);
        expectFailure(img, "entry name '../..' contains '/' or NUL");
        img = raw.clone();
        img[at] = 0;
        expectFailure(img, "contains '/' or NUL");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void directoryCycleIsDetected() throws Exception {
        byte[] img;
        try (ImageStructure s = structure(raw); SquashfsImage image = SquashfsImage.open(work.resolve("raw.sqfs"))) {
            Inode root = s.root();
            Inode loop = s.inode(image.lookup("loop").orElseThrow().inodeReference());
            // Point loop's only entry ("inner") back at the root directory.
            int header = (int) s.superblock().directoryTableStart() + 2 + (int) loop.blocksStart() + loop.listingOffset();
            img = withU32(raw, header + 4, (int) Layout.refBlock(root.ref()));
            img = withU32(img, header + 8, (int) root.number());
            img = withU16(img, header + 12, Layout.refOffset(root.ref()));
            img = withU16(img, header + 14, 0);
        }
        expectFailure(img, "a second time");
    }

    @Test
    void randomMutationsFailCleanlyOrReadFine() throws Exception {
        Random r = new Random(20261128);
        int failures = 0;
        int runs = 0;
        for (byte[] base : new byte[][] {packed, raw}) {
            Superblock sb = Superblock.decode(base, base.length);
            int metaStart = (int) sb.inodeTableStart();
            int end = (int) sb.bytesUsed();
            for (int i = 0; i < 150; i++) {
                byte[] img = base.clone();
                String what;
                switch (r.nextInt(4)) {
                    case 0 -> {
                        int at = metaStart + r.nextInt(end - metaStart);
                        img[at] ^= (byte) (1 << r.nextInt(8));
                        what = "bit flip at " + at;
                    }
                    case 1 -> {
                        int at = r.nextInt(Superblock.SIZE);
                        img[at] ^= (byte) (1 << r.nextInt(8));
                        what = "superblock bit flip at " + at;
                    }
                    case 2 -> {
                        int at = metaStart + r.nextInt(end - metaStart - 4);
                        int[] values = {0, -1, 0x7FFFFFFF, 0x8000, 0x01000000, r.nextInt(), r.nextInt(300)};
                        int v = values[r.nextInt(values.length)];
                        img = withU32(img, at, v);
                        what = "u32 " + v + " at " + at;
                    }
                    default -> {
                        int at = r.nextInt(img.length);
                        img[at] = (byte) r.nextInt(256);
                        img[r.nextInt(img.length)] ^= (byte) (1 << r.nextInt(8));
                        what = "two random bytes near " + at;
                    }
                }
                runs++;
                if (exercise(img, what, i % 4 == 0) != null) {
                    failures++;
                }
            }
        }
        // The mutations hit live structures often enough that many must be caught.
        assertTrue(failures > runs / 5, failures + " of " + runs + " mutations detected");
    }

    /** Reads everything a user can read from the image; returns the format error, or null if all read fine. */
    private static SquashfsFormatException exercise(byte[] bytes, String what) throws Exception {
        return exercise(bytes, what, true);
    }

    private static SquashfsFormatException exercise(byte[] bytes, String what, boolean extract) throws Exception {
        Path img = Files.createTempFile(work, "mutant", ".sqfs");
        Path out = work.resolve("out-" + img.getFileName());
        Files.write(img, bytes);
        try {
            return assertTimeoutPreemptively(HANG_GUARD, () -> {
                try (SquashfsImage image = SquashfsImage.open(img)) {
                    image.info();
                    image.list(new StringBuilder(), "squashfs-root", ZoneOffset.UTC);
                    image.lookup("many/entry-150");
                    for (ImageEntry e : image.entries()) {
                        if (e.isFile()) {
                            try (InputStream in = image.open(e)) {
                                in.transferTo(java.io.OutputStream.nullOutputStream());
                            }
                        }
                    }
                    if (extract) {
                        image.extract(out, new ImageExtractOptions(true, false, true));
                    }
                    image.verify();
                    return null;
                } catch (SquashfsFormatException e) {
                    return e;
                } catch (Throwable t) {
                    throw new AssertionError(what + ": expected a SquashfsFormatException, got " + t, t);
                }
            }, what + ": still reading after " + HANG_GUARD);
        } finally {
            Files.delete(img);
            deleteTree(out);
        }
    }

    private static void expectFailure(byte[] img, String expectedMessagePart) throws Exception {
        SquashfsFormatException e = exercise(img, expectedMessagePart);
        if (e == null) {
            fail("no error for damage that should report '" + expectedMessagePart + "'");
        }
        assertTrue(e.getMessage().contains(expectedMessagePart),
                "expected '" + expectedMessagePart + "' in: " + e.getMessage());
    }

    private static ImageStructure structure(byte[] bytes) throws IOException {
        Path p = work.resolve("raw.sqfs");
        assertTrue(Arrays.equals(bytes, Files.readAllBytes(p)));
        return ImageStructure.open(p);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    TestTrees.chmod(q, 0755);
                }
                Files.delete(q);
            }
        }
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int u16(byte[] b, int at) {
        return Short.toUnsignedInt(le(b).getShort(at));
    }

    static long u32(byte[] b, int at) {
        return Integer.toUnsignedLong(le(b).getInt(at));
    }

    static long u64(byte[] b, int at) {
        return le(b).getLong(at);
    }

    static byte[] withU16(byte[] b, int at, int v) {
        byte[] c = b.clone();
        le(c).putShort(at, (short) v);
        return c;
    }

    static byte[] withU32(byte[] b, int at, int v) {
        byte[] c = b.clone();
        le(c).putInt(at, v);
        return c;
    }

    static byte[] withU64(byte[] b, int at, long v) {
        byte[] c = b.clone();
        le(c).putLong(at, v);
        return c;
    }
}
