package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel judges our reader: images of one tree (every inode type, hard links, xattrs shared and
 * inline in four namespaces, sizes at cluster edges) by mkfs.erofs in its layouts and by our writer,
 * mounted read-only; every entry our reader lists (type, mode, owner, mtime, nlink, size, content,
 * symlink target, device, xattrs, hard-link groups) must equal what the mount shows.
 */
class ErofsReaderKernelTest {
    private static Path work;
    private static Path source;

    @BeforeAll
    static void makeTree() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting images and setting trusted xattrs needs root");
        for (String tool : new String[] {"mkfs.erofs", "setfattr", "getfattr"}) {
            Assumptions.assumeTrue(onPath(tool), tool + " is missing (apt-get install erofs-utils attr)");
        }
        work = Files.createTempDirectory(Path.of("/tmp"), "erofs-reader-kernel");
        source = Trees.readerExtras(Trees.edgeCases(work.resolve("src")));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Mounts {@code image} and compares our reader's listing, content and xattrs with the mount. */
    static void readerMatchesKernel(Path image) throws IOException {
        Path mnt = Files.createTempDirectory(work, "mnt");
        Trees.run("mount", "-t", "erofs", "-o", "loop,ro", image.toString(), mnt.toString());
        try (ErofsImage img = ErofsImage.open(image)) {
            SortedMap<String, String> want = Snapshot.of(mnt, true, true);
            SortedMap<String, String> got = Snapshot.of(img, true, true);
            assertEquals(want.keySet(), got.keySet(), image.getFileName() + ": entries");
            for (String k : want.keySet()) {
                assertEquals(want.get(k), got.get(k), image.getFileName() + ": entry '" + k + "'");
            }
            assertEquals(Snapshot.getfattr(mnt), Snapshot.xattrs(img), image.getFileName() + ": xattrs");
        } finally {
            Trees.run("umount", mnt.toString());
            Files.delete(mnt);
        }
    }

    private static Path mkfs(String name, String options, boolean newer) throws IOException {
        Path image = work.resolve(name);
        Files.deleteIfExists(image);
        List<String> args = new ArrayList<>(List.of("-T" + Trees.MTIME));
        if (!options.isBlank()) {
            args.addAll(List.of(options.trim().split(" +")));
        }
        args.addAll(List.of(image.toString(), source.toString()));
        if (newer) {
            Trees.run(ErofsUtils.require().command("mkfs.erofs", args));
        } else {
            args.add(0, "mkfs.erofs");
            Trees.run(args.toArray(String[]::new));
        }
        return image;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-zlz4", "-zlz4hc,12", "-zlz4hc,12 -C65536", "-zlz4hc,12 -C65536 -Eztailpacking",
        "-zlz4 -Eztailpacking", "-zlz4 -Elegacy-compress", "-zlz4hc -C16384 -Elegacy-compress,ztailpacking",
        "-zlz4hc -Eforce-inode-extended --all-root", "--chunksize=4096", "--chunksize=65536"})
    void readsMkfsErofsImagesAsTheKernelDoes(String options) throws IOException {
        readerMatchesKernel(mkfs("mkfs.erofs", options, false));
    }

    @ParameterizedTest
    @CsvSource({"none,65536", "lz4,4096", "lz4hc,65536", "lz4hc,1048576"})
    void readsOurImagesAsTheKernelDoes(String comp, int cluster) throws IOException {
        Path image = work.resolve("ours.erofs");
        try (ErofsWriter w = ErofsWriter.create(image,
                ErofsOptions.of(Trees.MTIME).withCompression(ErofsCompression.parse(comp, cluster)))) {
            w.addTree(source);
            w.finish();
        }
        readerMatchesKernel(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-zlz4hc,12 -C65536 -Efragments,ztailpacking -U00000000-0000-0000-0000-000000000000 --all-root",
        "-zlz4 -Efragments", "-zlz4hc -C65536 -Eall-fragments", "-zlz4hc -C65536 -Efragments,dedupe",
        "-zlz4hc,12 -C65536 -Eztailpacking"})
    void readsNewerErofsUtilsImagesWithFragmentsAsTheKernelDoes(String options) throws IOException {
        readerMatchesKernel(mkfs("mkfs.erofs-new", options, true));
    }

    @Test
    void longXattrNamePrefixesAreRefusedByName() throws IOException {
        // erofs-utils 1.6+ can store a common name start ("user.also-") once, as a long prefix; not read yet.
        Path image = mkfs("long-prefix.erofs", "-zlz4 --xattr-prefix=user.also-", true);
        try (ErofsImage img = ErofsImage.open(image)) {
            ErofsFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ErofsFormatException.class,
                    img::entries);
            assertTrue(e.getMessage().contains("long xattr name prefixes"), e.getMessage());
        }
    }

    @Test
    void theTreeHasSharedAndInlineXattrsInFourNamespaces() throws IOException {
        Path image = mkfs("xattrs.erofs", "-zlz4hc", false);
        try (ErofsImage img = ErofsImage.open(image)) {
            var all = Snapshot.xattrs(img);
            assertEquals("6f6e652076616c756520666f72206d616e792066696c6573", all.get("files/size-1").get("user.shared"));
            assertTrue(all.get("files/size-32").containsKey("trusted.note"), all.get("files/size-32").toString());
            assertEquals("00ff10", all.get("files/size-4000").get("security.label"));
            if (Trees.aclSet) {
                assertEquals(Trees.ACL.substring(2), all.get("files/size-8193").get("system.posix_acl_access"));
            }
        }
        // mkfs.erofs keeps a value used by several files once, in the shared area: the inode of
        // files/size-1 names shared xattr ids (h_shared_count, byte 4 of the header after the inode).
        byte[] b = Files.readAllBytes(image);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long nid;
        try (ErofsImage img = ErofsImage.open(image)) {
            nid = img.lookup("files/size-1").orElseThrow().inodeReference();
        }
        int inode = (int) (Integer.toUnsignedLong(bb.getInt(1024 + 40)) * 4096 + nid * 32);
        int inodeSize = (bb.getShort(inode) & 1) == 0 ? 32 : 64;
        assertTrue((b[inode + inodeSize + 4] & 0xFF) > 0, "files/size-1 has no shared xattrs");
    }
}
