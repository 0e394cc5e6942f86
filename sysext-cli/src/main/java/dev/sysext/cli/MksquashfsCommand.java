package dev.sysext.cli;

import dev.sysext.squashfs.Compression;
import dev.sysext.entry.DirectorySource;
import dev.sysext.squashfs.SquashfsWriter;
import dev.sysext.entry.TarSource;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.squashfs.XzFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext mksquashfs SOURCE IMAGE}: a SquashFS image of a directory or a tar archive. */
@Command(name = "mksquashfs",
        header = "Build a SquashFS image from a directory or a tar archive, like mksquashfs.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext mksquashfs rootfs/ my-ext.raw --all-root",
            "  SOURCE_DATE_EPOCH=0 sysext mksquashfs tree.tar.zst my-ext.raw",
            "  sysext mksquashfs rootfs/ my-ext.raw --comp zstd --level 19 -b 1M"},
        description = {"Builds a SquashFS image from a directory or a tar archive (.tar, .tar.gz, .tar.xz, .tar.zst).",
            "Options follow mksquashfs. With SOURCE_DATE_EPOCH set, the image time and every inode time are set to it."},
        mixinStandardHelpOptions = true)
final class MksquashfsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A directory, or a tar archive (compression detected).")
    Path source;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image to write (replaced only on success).")
    Path image;

    @Option(names = "--comp", paramLabel = "NAME", description = "gzip (default), xz, zstd or lz4.")
    String comp = "gzip";

    @Option(names = "--level", paramLabel = "N", description = "Compression level: gzip 1-9 (default 9), zstd 1-22 (default 15).")
    Integer level;

    @Option(names = {"--block-size", "-b"}, paramLabel = "SIZE", description = "4K to 1M, a power of two (default 128K).")
    String blockSize = "128K";

    @Option(names = "--all-root", description = "Store every entry as owned by root.")
    boolean allRoot;

    @Option(names = "--no-xattrs", description = "Do not store extended attributes.")
    boolean noXattrs;

    @Option(names = "--no-exports", description = "Do not write the NFS export table.")
    boolean noExports;

    @Option(names = "--no-fragments", description = "Do not pack small files into fragment blocks.")
    boolean noFragments;

    @Option(names = "--tailends", description = "Also pack the tail ends of large files into fragments.")
    boolean tailEnds;

    @Option(names = "--mkfs-time", paramLabel = "SECONDS", description = "The image creation time (default: now).")
    Long mkfsTime;

    @Option(names = "--all-time", paramLabel = "SECONDS", description = "Set every inode's modification time to this.")
    Long allTime;

    @Option(names = "--xz-dict-size", paramLabel = "SIZE", description = "xz dictionary size, e.g. 64K or 1M (default: the block size).")
    String xzDictSize;

    @Option(names = "--xz-bcj", paramLabel = "FILTER", split = ",",
            description = "xz BCJ filters to try per block: x86, powerpc, ia64, arm, armthumb, sparc, arm64.")
    List<String> xzBcj = List.of();

    @Option(names = "--lz4-hc", description = "lz4 high-compression mode.")
    boolean lz4Hc;

    @Option(names = "--no-duplicates", description = "Store files and fragments of identical content as often as they occur.")
    boolean noDuplicates;

    @Option(names = {"--threads", "--processors"}, paramLabel = "N",
            description = "Compression threads (default: the number of CPUs); the image is the same for every value."
                    + " --processors is mksquashfs' name.")
    Integer threads;

    private final Map<String, String> environment;

    MksquashfsCommand() {
        this(System.getenv());
    }

    MksquashfsCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        WriterOptions options = options();
        boolean directory = ImageSource.check(source, image);
        Path target = image.toAbsolutePath();
        StatusOutput status = StatusOutput.of(spec, environment);
        ImageWriteProgress writing = status.imageWrite("writing " + target.getFileName());
        try (SquashfsWriter w = SquashfsWriter.create(target, options, writing)) {
            if (directory) {
                DirectorySource.addTree(w, source, options.xattrs());
            } else {
                TarSource.addArchive(w, source, options.xattrs());
            }
            w.finish();
        } finally {
            writing.close();
        }
        // The writer's own count: reading a large image's tables back would cost a second pass.
        status.step("wrote " + image + " (" + Sizes.describe(writing.last()) + ")");
        return 0;
    }

    WriterOptions options() {
        Compression compression;
        try {
            compression = Compression.fromName(comp);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ImageSource.Times times = ImageSource.times(environment, mkfsTime, allTime);
        EnumSet<XzFilter> filters = EnumSet.noneOf(XzFilter.class);
        for (String f : xzBcj) {
            try {
                filters.add(XzFilter.valueOf(f.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw usage("--xz-bcj: unknown filter '" + f + "' (x86, powerpc, ia64, arm, armthumb, sparc, arm64)");
            }
        }
        try {
            return WriterOptions.builder()
                    .compression(compression)
                    .level(level == null ? 0 : level)
                    .blockSize(ImageSource.size("--block-size", blockSize))
                    .xzDictionarySize(xzDictSize == null ? 0 : ImageSource.size("--xz-dict-size", xzDictSize))
                    .xzFilters(filters)
                    .lz4HighCompression(lz4Hc)
                    .allRoot(allRoot)
                    .xattrs(!noXattrs)
                    .exportTable(!noExports)
                    .fragments(!noFragments)
                    .tailEnds(tailEnds)
                    .duplicates(!noDuplicates)
                    .mkfsTime(times.mkfs())
                    .fixedInodeTime(times.inodeTime())
                    .workers(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Bad option values are usage errors, reported like picocli's own. */
    private static CommandFailure usage(String message) {
        return ImageSource.usage(message);
    }
}
