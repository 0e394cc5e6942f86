package dev.sysext.cli;

import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.entry.ImageEntry;
import dev.sysext.erofs.ErofsImage;
import dev.sysext.erofs.ErofsInfo;
import dev.sysext.squashfs.ImageInfo;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.stage.ExtensionRelease;
import dev.sysext.verify.ExtensionImage;
import dev.sysext.squashfs.XzFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext inspect}: superblock facts, compressor settings, counts and the extension-release file. */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        header = "Show what a SquashFS or EROFS image holds and its extension-release file.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext inspect containerd-2.2.0-x86-64.raw",
            "  sysext inspect containerd-2.2.0-x86-64.raw --json | jq .extensionRelease"},
        description = {"Shows what a SquashFS image holds: compressor and its options, block",
            "size, flags, counts (inodes, files, directories, symlinks, fragments, ids),",
            "sizes, and the extension-release file under usr/lib/extension-release.d/",
            "when there is one. For an EROFS image (found by its magic) it shows its",
            "superblock (compression, block size, features, build time, UUID, inodes,",
            "...), the counts and the extension-release file."})
final class InspectCommand implements Callable<Integer> {
    /** The {@code schema} of {@code --json}, as for the other commands' JSON. */
    static final String SCHEMA = "sysext.inspect/v1";
    private static final String RELEASE_DIR = "usr/lib/extension-release.d/";
    /** extension-release files are a few hundred bytes; anything bigger is not shown. */
    private static final int MAX_RELEASE_BYTES = 64 * 1024;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The SquashFS or EROFS image.")
    Path image;

    @Option(names = "--json", description = "Print a " + SCHEMA + " JSON object instead of text.")
    boolean json;

    private record Counts(long files, long directories, long symlinks, long devices, long fifos, long sockets,
            long hardLinks, long fileBytes) {
    }

    /** Counts entries by type (a file's further names as hard links) and finds the extension-release file. */
    private static final class Tally {
        private final long[] c = new long[8];
        private final java.util.Set<Long> fileInodes = new java.util.HashSet<>();
        private ImageEntry release;

        void add(ImageEntry e) {
            switch (e.type()) {
                case FILE -> {
                    if (fileInodes.add(e.inodeNumber())) {
                        c[0]++;
                        c[7] += e.size();
                    } else {
                        c[6]++;
                    }
                    if (release == null && e.path().startsWith(RELEASE_DIR)
                            && e.path().indexOf('/', RELEASE_DIR.length()) < 0
                            && e.name().startsWith("extension-release.")) {
                        release = e;
                    }
                }
                case DIRECTORY -> c[1]++;
                case SYMLINK -> c[2]++;
                case BLOCK_DEVICE, CHAR_DEVICE -> c[3]++;
                case FIFO -> c[4]++;
                case SOCKET -> c[5]++;
                default -> { }
            }
        }

        Counts counts() {
            return new Counts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
        }
    }

    /** Opens an entry's content, in whichever image format. */
    private interface Content {
        InputStream open(ImageEntry e) throws IOException;
    }

    private Release release(ImageEntry entry, Content content) throws IOException {
        if (entry == null) {
            return null;
        }
        if (entry.size() > MAX_RELEASE_BYTES) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + entry.path() + " is " + entry.size()
                    + " bytes, too large for an extension-release file");
        }
        try (InputStream in = content.open(entry)) {
            return new Release(entry.path(), ExtensionRelease.parseFields(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    private record Release(String path, Map<String, String> fields) {
    }

    @Override
    public Integer call() {
        if (isErofs()) {
            return inspectErofs();
        }
        try (SquashfsImage img = SquashfsImage.open(image)) {
            ImageInfo info = img.info();
            Tally tally = new Tally();
            img.walk(tally::add, false);
            Counts counts = tally.counts();
            Release release = release(tally.release, img::open);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? json(info, counts, release) : text(info, counts, release));
            out.flush();
            return 0;
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + CommandFailure.oneLine(e), e);
        }
    }

    /** Whether the image is EROFS by its magic; anything else goes to the SquashFS reader and its errors. */
    private boolean isErofs() {
        try {
            return ExtensionImage.detect(image) == ExtensionImage.Format.EROFS;
        } catch (IOException e) {
            return false;
        }
    }

    /** EROFS: the superblock's facts, the entry counts and the extension-release file. */
    private Integer inspectErofs() {
        try (ErofsImage img = ErofsImage.open(image)) {
            ErofsInfo info = img.info();
            Tally tally = new Tally();
            for (ImageEntry e : img.entries()) {
                tally.add(e);
            }
            Counts counts = tally.counts();
            Release release = release(tally.release, img::open);
            long size = java.nio.file.Files.size(image);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? erofsJson(info, size, counts, release) : erofsText(info, size, counts, release));
            out.flush();
            return 0;
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + CommandFailure.oneLine(e), e);
        }
    }

    private String erofsText(ErofsInfo info, long size, Counts c, Release release) {
        StringBuilder b = new StringBuilder();
        b.append("image:              ").append(image).append('\n');
        b.append("format:             erofs\n");
        b.append("compressor:         ").append(info.compressorNames().isEmpty() ? "none"
                : String.join(" ", info.compressorNames()));
        if (info.lz4MaxDistance() != 0) {
            b.append(" max-distance=").append(info.lz4MaxDistance());
        }
        b.append('\n');
        b.append("block size:         ").append(info.blockSize()).append('\n');
        b.append("features:           ").append(String.join(" ", info.featureNames())).append('\n');
        b.append("created:            ").append(info.buildInstant().map(Instant::toString)
                .orElse(Long.toUnsignedString(info.buildTime()) + " seconds")).append('\n');
        b.append("uuid:               ").append(info.uuid()).append('\n');
        b.append("volume name:        ").append(info.volumeName().orElse("none")).append('\n');
        b.append("blocks:             ").append(info.blocks()).append('\n');
        b.append("image size:         ").append(size).append('\n');
        b.append("inodes:             ").append(info.inodeCount()).append('\n');
        b.append("root nid:           ").append(info.rootNid()).append('\n');
        b.append("meta block:         ").append(info.metaBlockAddress()).append('\n');
        b.append("xattr block:        ").append(info.xattrBlockAddress()).append('\n');
        b.append("packed nid:         ").append(info.packedNid().isPresent()
                ? Long.toString(info.packedNid().getAsLong()) : "none").append('\n');
        b.append("extra devices:      ").append(info.extraDevices()).append('\n');
        appendCounts(b, c);
        return appendRelease(b, release).toString();
    }

    private String erofsJson(ErofsInfo info, long size, Counts c, Release release) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("image", image.toString());
        m.put("format", "erofs");
        m.put("compressors", info.compressorNames());
        m.put("lz4MaxDistance", info.lz4MaxDistance());
        m.put("blockSize", info.blockSize());
        m.put("features", info.featureNames());
        m.put("mkfsTime", info.buildTime());
        m.put("mkfsTimeNanos", info.buildTimeNanos());
        m.put("uuid", info.uuid().toString());
        m.put("volumeName", info.volumeName().orElse(null));
        m.put("blocks", info.blocks());
        m.put("imageSize", size);
        m.put("inodes", info.inodeCount());
        m.put("rootNid", info.rootNid());
        m.put("metaBlock", info.metaBlockAddress());
        m.put("xattrBlock", info.xattrBlockAddress());
        m.put("packedNid", info.packedNid().isPresent() ? info.packedNid().getAsLong() : null);
        m.put("extraDevices", info.extraDevices());
        putCounts(m, c);
        return withRelease(m, release);
    }

    private static Map<String, Object> compressorOptions(ImageInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        CompressorConfig config = info.compressor();
        if (config instanceof CompressorConfig.Gzip g) {
            m.put("level", g.level());
            m.put("window", g.window());
            m.put("strategies", g.strategies());
        } else if (config instanceof CompressorConfig.Zstd z) {
            m.put("level", z.level());
        } else if (config instanceof CompressorConfig.Xz x) {
            m.put("dictionary-size", x.dictionarySize());
            m.put("filters", x.filters().stream().map(XzFilter::displayName).toList());
        } else if (config instanceof CompressorConfig.Lz4 l) {
            m.put("high-compression", l.highCompression());
        }
        return m;
    }

    private String text(ImageInfo info, Counts c, Release release) {
        StringBuilder b = new StringBuilder();
        b.append("image:              ").append(image).append('\n');
        b.append("compressor:         ").append(info.compression());
        compressorOptions(info).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append(info.compressorOptionsStored() ? " (options stored)" : " (defaults)").append('\n');
        b.append("block size:         ").append(info.blockSize()).append('\n');
        b.append("flags:              ").append(String.join(" ", info.flagNames())).append('\n');
        b.append("created:            ").append(Instant.ofEpochSecond(info.mkfsTime())).append('\n');
        b.append("bytes used:         ").append(info.bytesUsed()).append('\n');
        b.append("image size:         ").append(info.imageSize()).append('\n');
        b.append("inodes:             ").append(info.inodeCount()).append('\n');
        appendCounts(b, c);
        b.append("fragments:          ").append(info.fragmentCount()).append('\n');
        b.append("ids:                ").append(info.idCount()).append('\n');
        b.append("xattr sets:         ").append(info.xattrIdCount()).append('\n');
        b.append("exportable:         ").append(info.exportable() ? "yes" : "no").append('\n');
        return appendRelease(b, release).toString();
    }

    private String json(ImageInfo info, Counts c, Release release) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("image", image.toString());
        m.put("compressor", info.compression().displayName());
        m.put("compressorOptions", compressorOptions(info));
        m.put("compressorOptionsStored", info.compressorOptionsStored());
        m.put("blockSize", info.blockSize());
        m.put("flags", info.flagNames());
        m.put("mkfsTime", info.mkfsTime());
        m.put("bytesUsed", info.bytesUsed());
        m.put("imageSize", info.imageSize());
        m.put("inodes", info.inodeCount());
        putCounts(m, c);
        m.put("fragments", info.fragmentCount());
        m.put("ids", info.idCount());
        m.put("xattrSets", info.xattrIdCount());
        m.put("exportable", info.exportable());
        return withRelease(m, release);
    }

    private static void putCounts(Map<String, Object> m, Counts c) {
        m.put("files", c.files());
        m.put("fileBytes", c.fileBytes());
        m.put("hardLinks", c.hardLinks());
        m.put("directories", c.directories());
        m.put("symlinks", c.symlinks());
        m.put("devices", c.devices());
        m.put("fifos", c.fifos());
        m.put("sockets", c.sockets());
    }

    /** {@code m} with its extensionRelease member last, as JSON text and a newline. */
    private static String withRelease(Map<String, Object> m, Release release) {
        if (release != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("path", release.path());
            r.put("fields", release.fields());
            m.put("extensionRelease", r);
        } else {
            m.put("extensionRelease", null);
        }
        StringBuilder b = new StringBuilder();
        JsonText.write(b, m);
        return b.append('\n').toString();
    }

    private static void appendCounts(StringBuilder b, Counts c) {
        b.append("files:              ").append(c.files()).append(" (").append(c.fileBytes()).append(" bytes, ")
                .append(c.hardLinks()).append(" extra hard links)\n");
        b.append("directories:        ").append(c.directories()).append('\n');
        b.append("symlinks:           ").append(c.symlinks()).append('\n');
        b.append("devices:            ").append(c.devices()).append('\n');
        b.append("fifos:              ").append(c.fifos()).append('\n');
        b.append("sockets:            ").append(c.sockets()).append('\n');
    }

    private static StringBuilder appendRelease(StringBuilder b, Release release) {
        if (release == null) {
            b.append("extension-release:  none\n");
        } else {
            b.append("extension-release:  ").append(release.path()).append('\n');
            release.fields().forEach((k, v) -> b.append("  ").append(k).append('=').append(v).append('\n'));
        }
        return b;
    }
}
