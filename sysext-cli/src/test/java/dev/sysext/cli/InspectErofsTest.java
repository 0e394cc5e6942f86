package dev.sysext.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sysext inspect} on EROFS images: the superblock's facts in text and JSON, as dump.erofs shows them. */
class InspectErofsTest {
    /** The members of {@code sysext.inspect/v1} for an EROFS image, in order, as the README lists them. */
    static final JsonSchema INSPECT_EROFS = new JsonSchema()
            .member("schema", JsonSchema.STRING).member("image", JsonSchema.STRING)
            .member("format", JsonSchema.STRING).member("compressors", JsonSchema.ARRAY)
            .member("lz4MaxDistance", JsonSchema.INTEGER).member("blockSize", JsonSchema.INTEGER)
            .member("features", JsonSchema.ARRAY).member("mkfsTime", JsonSchema.INTEGER)
            .member("mkfsTimeNanos", JsonSchema.INTEGER).member("uuid", JsonSchema.STRING)
            .member("volumeName", JsonSchema.STRING_OR_NULL).member("blocks", JsonSchema.INTEGER)
            .member("imageSize", JsonSchema.INTEGER).member("inodes", JsonSchema.INTEGER)
            .member("rootNid", JsonSchema.INTEGER).member("metaBlock", JsonSchema.INTEGER)
            .member("xattrBlock", JsonSchema.INTEGER).member("packedNid", JsonSchema.INTEGER_OR_NULL)
            .member("extraDevices", JsonSchema.INTEGER).member("files", JsonSchema.INTEGER)
            .member("fileBytes", JsonSchema.INTEGER).member("hardLinks", JsonSchema.INTEGER)
            .member("directories", JsonSchema.INTEGER).member("symlinks", JsonSchema.INTEGER)
            .member("devices", JsonSchema.INTEGER).member("fifos", JsonSchema.INTEGER)
            .member("sockets", JsonSchema.INTEGER).member("extensionRelease", JsonSchema.OBJECT_OR_NULL);

    private static final String UUID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    @TempDir
    static Path work;
    static Path tree;

    @BeforeAll
    static void makeTree() throws Exception {
        tree = work.resolve("tree");
        Path rel = Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
        Files.writeString(rel.resolve("extension-release.demo"), "ID=_any\nARCHITECTURE=x86-64\n");
        Path bin = Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(bin.resolve("tool"), "echo tool\n".repeat(20_000));
        Files.createSymbolicLink(bin.resolve("link"), Path.of("tool"));
    }

    private static String line(String text, String label) {
        return text.lines().filter(l -> l.startsWith(label + ":")).findFirst()
                .map(l -> l.substring(label.length() + 1).trim()).orElseThrow(() -> new AssertionError(label + " in\n" + text));
    }

    @Test
    void ourImageShowsItsSuperblockInTextAndJson() throws Exception {
        Path image = work.resolve("ours.raw");
        SysextRun made = SysextRun.run("--quiet", "mkerofs", tree, image, "--all-root", "--mkfs-time", "1700000000");
        assertEquals(0, made.exitCode(), made::toString);

        SysextRun r = SysextRun.run("inspect", image);
        assertEquals(0, r.exitCode(), r::toString);
        // The writer's superblock, known in full: zero UUID, lz4 with compr_cfgs, inodes from nid 0 at the end.
        long blocks = Files.size(image) / 4096;
        assertTrue(r.out().startsWith("image:              " + image + "\n"
                + "format:             erofs\n"
                + "compressor:         lz4\n"
                + "block size:         4096\n"
                + "features:           sb_csum lz4_0padding compr_cfgs big_pcluster ztailpacking\n"
                + "created:            2023-11-14T22:13:20Z\n"
                + "uuid:               00000000-0000-0000-0000-000000000000\n"
                + "volume name:        none\n"
                + "blocks:             " + blocks + "\n"
                + "image size:         " + Files.size(image) + "\n"
                + "inodes:             8\n"
                + "root nid:           0\n"), r.out());
        assertTrue(r.out().contains("packed nid:         none\nextra devices:      0\n"
                + "files:              2 (200028 bytes, 0 extra hard links)\n"), r.out());
        assertTrue(r.out().endsWith("extension-release:  usr/lib/extension-release.d/extension-release.demo\n"
                + "  ID=_any\n  ARCHITECTURE=x86-64\n"), r.out());

        SysextRun json = SysextRun.run("inspect", "--json", image);
        assertEquals(0, json.exitCode(), json::toString);
        Map<String, Object> m = Json.object(json.out());
        INSPECT_EROFS.check(m);
        assertEquals(INSPECT_EROFS.memberNames(), List.copyOf(m.keySet()), "members in the documented order");
        assertEquals("sysext.inspect/v1", m.get("schema"));
        assertEquals("erofs", m.get("format"));
        assertEquals(List.of("lz4"), m.get("compressors"));
        assertEquals(List.of("sb_csum", "lz4_0padding", "compr_cfgs", "big_pcluster", "ztailpacking"), m.get("features"));
        assertEquals(1_700_000_000L, m.get("mkfsTime"));
        assertEquals(blocks, m.get("blocks"));
        assertEquals(Long.parseLong(line(r.out(), "meta block")), m.get("metaBlock"));
        assertEquals(null, m.get("packedNid"));
        assertEquals(null, m.get("volumeName"));
        assertEquals(2L, m.get("files"));
    }

    /** mkfs.erofs' image: inspect's lines say what {@code dump.erofs -s} (erofs-utils) says. */
    @Test
    void mkfsErofsImagesShowWhatDumpErofsShows() throws Exception {
        ExternalTool probe = ExternalTool.run("sh", "-c", "command -v dump.erofs && command -v mkfs.erofs");
        Assumptions.assumeTrue(probe.exitCode() == 0, "no dump.erofs and mkfs.erofs (Debian's erofs-utils)");
        for (String options : new String[] {"-zlz4hc", "-zlz4hc -Eztailpacking", ""}) {
            Path image = work.resolve("mkfs.raw");
            Files.deleteIfExists(image);
            List<String> command = new ArrayList<>(List.of("mkfs.erofs", "-U" + UUID));
            if (!options.isEmpty()) {
                command.addAll(List.of(options.split(" ")));
            }
            command.addAll(List.of(image.toString(), tree.toString()));
            ExternalTool mkfs = ExternalTool.run(command);
            assertEquals(0, mkfs.exitCode(), mkfs::output);
            ExternalTool dump = ExternalTool.run("dump.erofs", "-s", image.toString()); // TZ=UTC
            assertEquals(0, dump.exitCode(), dump::output);
            Map<String, String> d = new LinkedHashMap<>();
            dump.output().lines().filter(l -> l.startsWith("Filesystem ") && l.contains(":"))
                    .forEach(l -> d.put(l.substring(11, l.indexOf(':')), l.substring(l.indexOf(':') + 1).trim()));

            SysextRun r = SysextRun.run("inspect", image);
            assertEquals(0, r.exitCode(), r::toString);
            String is = options + ":\n" + r.out() + "\ndump.erofs:\n" + dump.output();
            assertEquals(UUID, line(r.out(), "uuid"), is);
            assertEquals(d.get("UUID"), line(r.out(), "uuid"), is);
            assertEquals(d.get("inode count"), line(r.out(), "inodes"), is);
            assertEquals(d.get("root nid"), line(r.out(), "root nid"), is);
            assertEquals(d.get("blocks"), line(r.out(), "blocks"), is);
            assertEquals(d.get("inode metadata start block"), line(r.out(), "meta block"), is);
            assertEquals(d.get("shared xattr metadata start block"), line(r.out(), "xattr block"), is);
            long created = LocalDateTime.parse(d.get("created").replaceAll(" +", " "),
                    DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)).toEpochSecond(ZoneOffset.UTC);
            // dump.erofs shows whole seconds; inspect adds the nanoseconds mkfs.erofs stores.
            assertTrue(line(r.out(), "created").startsWith(java.time.Instant.ofEpochSecond(created).toString()
                    .replace("Z", "")), is);
            // dump.erofs 1.5 knows the older feature names only, and says 0padding for lz4_0padding.
            List<String> ours = new ArrayList<>(List.of(line(r.out(), "features").replace("lz4_0padding", "0padding")
                    .split(" ")));
            ours.remove("ztailpacking");
            assertEquals(d.get("features"), String.join(" ", ours), is);
            assertEquals(options.contains("ztailpacking"), line(r.out(), "features").contains("ztailpacking"), is);
            assertEquals(options.isEmpty() ? "none" : "lz4 max-distance=65535", line(r.out(), "compressor"), is);

            SysextRun json = SysextRun.run("inspect", "--json", image);
            Map<String, Object> m = Json.object(json.out());
            INSPECT_EROFS.check(m);
            assertEquals(Long.parseLong(d.get("inode count")), m.get("inodes"), is);
            assertEquals(created, m.get("mkfsTime"), is);
            assertEquals(UUID, m.get("uuid"), is);
            assertEquals(List.of(line(r.out(), "features").split(" ")), m.get("features"), is);
        }
    }
}
