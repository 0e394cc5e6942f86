package dev.sysext.erofs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ErofsImage#info()} says what erofs-utils' {@code dump.erofs -s} (1.5, and 1.8 when it is
 * unpacked) and {@code blkid} say about the superblocks of our images and of mkfs.erofs' images.
 */
class ErofsInfoTest {
    private static final UUID UUID_OURS = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    private static final UUID UUID_THEIRS = UUID.fromString("12345678-9abc-def0-0fed-cba987654321");
    /** The feature names each dump.erofs prints (its own spelling of lz4_0padding: 0padding). */
    private static final Set<String> DUMP_15_FEATURES = Set.of("sb_csum", "mtime", "0padding", "big_pcluster",
            "chunked_file", "device_table");
    private static final Set<String> DUMP_18_FEATURES = Set.of("sb_csum", "mtime", "xattr_filter", "0padding",
            "compr_cfgs", "big_pcluster", "chunked_file", "device_table", "ztailpacking", "fragments", "dedupe",
            "xattr_prefixes");
    private static Path work;
    private static Path tree;

    @BeforeAll
    static void makeTree() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "erofs-info");
        tree = work.resolve("tree");
        Random r = new Random(21);
        Files.createDirectories(tree.resolve("usr/bin"));
        Trees.write(tree.resolve("usr/bin/text-70000"), Trees.text(r, 70_000));
        Trees.write(tree.resolve("usr/bin/text-5000"), Trees.text(r, 5000));
        Trees.write(tree.resolve("usr/bin/small"), Trees.text(r, 100));
        Files.createSymbolicLink(tree.resolve("usr/bin/link"), Path.of("small"));
        // One xattr on three inodes: mkfs.erofs and our writer put it in the shared xattr area.
        for (String f : new String[] {"usr/bin/text-70000", "usr/bin/text-5000", "usr/bin/small"}) {
            Trees.xattr(tree.resolve(f), "shared", "the same".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path ours(String compression) throws IOException {
        Path image = work.resolve("ours-" + compression + ".erofs");
        // Every mtime the build time: compact inodes, which take their mtime from the superblock.
        ErofsOptions options = new ErofsOptions(ErofsCompression.parse(compression, 65536), Trees.MTIME + 5,
                java.util.OptionalLong.of(Trees.MTIME + 5), true, true, UUID_OURS, 1,
                ErofsOptions.DEFAULT_XATTR_TOLERANCE);
        try (ErofsWriter w = ErofsWriter.create(image, options)) {
            w.addTree(tree);
            w.finish();
        }
        return image;
    }

    private static Path mkfs(String name, String... options) throws IOException {
        Path image = work.resolve(name + ".erofs");
        List<String> command = new ArrayList<>(List.of("mkfs.erofs", "-T" + Trees.MTIME, "-U" + UUID_THEIRS));
        command.addAll(List.of(options));
        command.addAll(List.of(image.toString(), tree.toString()));
        Trees.run(command.toArray(String[]::new));
        return image;
    }

    private static Optional<Path> onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The lines "Filesystem NAME: VALUE" of {@code dump.erofs -s}, as NAME -> VALUE. */
    private static Map<String, String> dump(String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("env", "TZ=UTC")); // it prints the build time in local time
        c.addAll(List.of(command));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Trees.run(c.toArray(String[]::new)).split("\n")) {
            int colon = line.indexOf(':');
            if (line.startsWith("Filesystem ") && colon > 0) {
                out.put(line.substring("Filesystem ".length(), colon), line.substring(colon + 1).trim());
            }
        }
        assertTrue(out.containsKey("inode count"), () -> String.join(" ", command) + ": " + out);
        return out;
    }

    /** Compares {@code info} with every fact {@code dump.erofs -s} printed, {@code known} the names it knows. */
    private static void assertAsDumped(ErofsInfo info, Map<String, String> dumped, Set<String> known, String what) {
        String is = what + ": " + dumped;
        assertEquals(Long.parseLong(dumped.get("blocks")), info.blocks(), is);
        assertEquals(Long.parseLong(dumped.get("inode metadata start block")), info.metaBlockAddress(), is);
        assertEquals(Long.parseLong(dumped.get("shared xattr metadata start block")), info.xattrBlockAddress(), is);
        assertEquals(Long.parseLong(dumped.get("root nid")), info.rootNid(), is);
        assertEquals(Long.parseLong(dumped.get("inode count")), info.inodeCount(), is);
        assertEquals(dumped.get("UUID"), info.uuid().toString(), is);
        LocalDateTime created = LocalDateTime.parse(dumped.get("created").replaceAll(" +", " "),
                DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT));
        assertEquals(created.toEpochSecond(ZoneOffset.UTC), info.buildTime(), is);
        List<String> ours = new ArrayList<>();
        for (String f : info.featureNames()) {
            String theirs = f.equals("lz4_0padding") ? "0padding" : f;
            if (known.contains(theirs)) {
                ours.add(theirs);
            }
        }
        assertEquals(List.of(dumped.get("features").split(" ")), ours, is);
        // Printed by newer dump.erofs only.
        if (dumped.containsKey("blocksize")) {
            assertEquals(Integer.parseInt(dumped.get("blocksize")), info.blockSize(), is);
        }
        if (dumped.containsKey("compr_algs")) {
            assertEquals(List.of(dumped.get("compr_algs").split(", *")), info.compressorNames(), is);
        }
        if (dumped.containsKey("lz4_max_distance")) {
            assertEquals(Integer.parseInt(dumped.get("lz4_max_distance")), info.lz4MaxDistance(), is);
        }
        if (dumped.containsKey("packed nid")) {
            assertEquals(Long.parseLong(dumped.get("packed nid")), info.packedNid().orElseThrow(), is);
        } else {
            assertTrue(info.packedNid().isEmpty(), is);
        }
    }

    /** What blkid (util-linux) reads from the superblock: the label (volume name) and the UUID. */
    private static void assertAsBlkidSees(ErofsInfo info, Path image) throws IOException {
        Optional<Path> blkid = onPath("blkid");
        if (blkid.isEmpty()) {
            System.out.println("ErofsInfoTest: no blkid, volume names not compared");
            return;
        }
        String out = Trees.run(blkid.get().toString(), "-p", "-o", "export", image.toString());
        Map<String, String> tags = new LinkedHashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> tags.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        assertEquals("erofs", tags.get("TYPE"), out);
        assertEquals(Optional.ofNullable(tags.get("LABEL")), info.volumeName(), out);
        if (!info.uuid().equals(ErofsOptions.ZERO_UUID)) {
            assertEquals(info.uuid().toString(), tags.get("UUID"), out);
        }
    }

    @Test
    void theSuperblockReadsAsDumpErofsAndBlkidShowIt() throws IOException {
        Optional<Path> dump15 = onPath("dump.erofs");
        Assumptions.assumeTrue(dump15.isPresent(), "no dump.erofs (Debian's erofs-utils) on the PATH");
        Map<String, Path> images = new LinkedHashMap<>();
        images.put("ours none", ours("none"));
        images.put("ours lz4hc,12", ours("lz4hc,12"));
        images.put("mkfs.erofs -zlz4hc", mkfs("hc", "-zlz4hc"));
        images.put("mkfs.erofs -zlz4hc -Eztailpacking", mkfs("tail", "-zlz4hc", "-Eztailpacking"));
        images.put("mkfs.erofs (uncompressed)", mkfs("plain"));
        Path newer = Path.of(Optional.ofNullable(System.getenv("SYSEXT_EROFS_UTILS_NEW")).orElse(ErofsUtils.DEFAULT.toString()));
        ErofsUtils utils18 = Files.isDirectory(newer) ? new ErofsUtils(newer) : null;
        if (utils18 != null) {
            Path image = work.resolve("fragments.erofs");
            Trees.run(utils18.command("mkfs.erofs", List.of("-zlz4hc,12", "-C65536", "-Efragments,ztailpacking",
                    "-Lsysext-volume", "-T" + Trees.MTIME, "-U" + UUID_THEIRS, image.toString(), tree.toString())));
            images.put("mkfs.erofs 1.8 -Efragments,ztailpacking -L", image);
        } else {
            System.out.println("ErofsInfoTest: no erofs-utils 1.8 in " + newer + ", no fragments image and no dump.erofs 1.8");
        }
        Map<String, ErofsInfo> infos = new LinkedHashMap<>();
        for (var e : images.entrySet()) {
            try (ErofsImage img = ErofsImage.open(e.getValue())) {
                ErofsInfo info = img.info();
                infos.put(e.getKey(), info);
                if (!e.getKey().contains("fragments")) { // 1.5 refuses images with fragments
                    assertAsDumped(info, dump(dump15.get().toString(), "-s", e.getValue().toString()),
                            DUMP_15_FEATURES, e.getKey() + ", dump.erofs 1.5");
                }
                if (utils18 != null) {
                    assertAsDumped(info, dump(utils18.command("dump.erofs", List.of("-s", e.getValue().toString()))),
                            DUMP_18_FEATURES, e.getKey() + ", dump.erofs 1.8");
                }
                assertAsBlkidSees(info, e.getValue());
                assertEquals(4096, info.blockSize(), e.getKey());
                assertEquals(e.getKey().startsWith("ours") ? UUID_OURS : UUID_THEIRS, info.uuid(), e.getKey());
                assertEquals(e.getKey().startsWith("ours") ? Trees.MTIME + 5 : Trees.MTIME, info.buildTime(), e.getKey());
                assertEquals(0, info.extraDevices(), e.getKey());
            }
        }
        // What each image is known to be, whichever dump.erofs printed it.
        assertEquals(List.of("sb_csum"), infos.get("ours none").featureNames());
        assertEquals(List.of(), infos.get("ours none").compressorNames());
        assertEquals(List.of("sb_csum", "lz4_0padding", "compr_cfgs", "big_pcluster", "ztailpacking"),
                infos.get("ours lz4hc,12").featureNames());
        assertEquals(List.of("lz4"), infos.get("ours lz4hc,12").compressorNames());
        assertEquals(0, infos.get("ours lz4hc,12").lz4MaxDistance());
        assertTrue(infos.get("mkfs.erofs -zlz4hc -Eztailpacking").incompatFeatureNames().contains("ztailpacking"));
        assertEquals(List.of("lz4"), infos.get("mkfs.erofs -zlz4hc").compressorNames());
        assertEquals(List.of(), infos.get("mkfs.erofs (uncompressed)").compressorNames());
        assertEquals(List.of("sb_csum", "mtime"), infos.get("mkfs.erofs (uncompressed)").featureNames());
        ErofsInfo fragments = infos.get("mkfs.erofs 1.8 -Efragments,ztailpacking -L");
        if (fragments != null) {
            assertEquals(Optional.of("sysext-volume"), fragments.volumeName());
            assertTrue(fragments.packedNid().isPresent());
            assertTrue(fragments.incompatFeatureNames().containsAll(List.of("fragments", "dedupe")));
        }
        // Compact inodes' mtime counts from the build time; the reader takes it from info().
        try (ErofsImage img = ErofsImage.open(images.get("ours none"))) {
            assertEquals(Trees.MTIME + 5, img.lookup("usr/bin/small").orElseThrow().mtime());
        }
    }

    @Test
    void bitsWithoutANameShowAsHexAndSharedBitsUnderBothNames() {
        ErofsInfo info = new ErofsInfo(4096, 1, 0, 0, ErofsOptions.ZERO_UUID, Optional.empty(), 1, 0, 0, 0,
                0x1 | 0x40, 0x2 | 0x8 | 0x20 | 0x400, 0x1 | 0x8 | 0x20, 0, java.util.OptionalLong.empty(), 0);
        assertEquals(List.of("sb_csum", "compat:0x40"), info.compatFeatureNames());
        assertEquals(List.of("compr_cfgs", "big_pcluster", "device_table", "compr_head2", "fragments", "dedupe",
                "incompat:0x400"), info.incompatFeatureNames());
        assertEquals(List.of("lz4", "zstd", "0x20"), info.compressorNames());
        assertEquals(Optional.empty(), new ErofsInfo(4096, 1, Long.MAX_VALUE, 0, ErofsOptions.ZERO_UUID,
                Optional.empty(), 1, 0, 0, 0, 0, 0, 0, 0, java.util.OptionalLong.empty(), 0).buildInstant());
    }
}
