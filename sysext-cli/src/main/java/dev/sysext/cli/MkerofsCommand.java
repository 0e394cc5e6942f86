package dev.sysext.cli;

import dev.sysext.erofs.ErofsCompression;
import dev.sysext.erofs.ErofsOptions;
import dev.sysext.erofs.ErofsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext mkerofs SOURCE IMAGE}: an EROFS image of a directory or a tar archive. */
@Command(name = "mkerofs",
        header = "Build an EROFS image from a directory or a tar archive, like mkfs.erofs.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext mkerofs rootfs/ my-ext.raw --comp none --all-root",
            "  SOURCE_DATE_EPOCH=0 sysext mkerofs tree.tar.zst my-ext.raw --comp lz4 --cluster-size 16K"},
        description = {"Builds an EROFS image from a directory or a tar archive (.tar, .tar.gz, .tar.xz, .tar.zst).",
            "The UUID is all zeros, as the sysext-bakery passes it to mkfs.erofs. With SOURCE_DATE_EPOCH set, the",
            "image time and every inode time are set to it. Compression is not written yet: pass --comp none."},
        mixinStandardHelpOptions = true)
final class MkerofsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A directory, or a tar archive (compression detected).")
    Path source;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image to write (replaced only on success).")
    Path image;

    @Option(names = "--comp", paramLabel = "NAME[,LEVEL]",
            description = "none, lz4 or lz4hc[,LEVEL 1-12] (default lz4hc,12, as the sysext-bakery).")
    String comp = "lz4hc,12";

    @Option(names = {"--cluster-size", "-C"}, paramLabel = "SIZE",
            description = "Largest physical cluster of compressed data: 4K to 1M, a multiple of 4K (default 64K).")
    String clusterSize = "64K";

    @Option(names = "--all-root", description = "Store every entry as owned by root.")
    boolean allRoot;

    @Option(names = "--no-xattrs", description = "Do not store extended attributes.")
    boolean noXattrs;

    @Option(names = "--mkfs-time", paramLabel = "SECONDS",
            description = "The build time (default: now); inodes with another mtime take 64 instead of 32 bytes.")
    Long mkfsTime;

    @Option(names = "--all-time", paramLabel = "SECONDS", description = "Set every inode's modification time to this.")
    Long allTime;

    @Option(names = "--threads", paramLabel = "N", description = "Compression threads (default: the number of processors); the image is the same for any number.")
    Integer threads;

    private final Map<String, String> environment;

    MkerofsCommand() {
        this(System.getenv());
    }

    MkerofsCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException {
        ErofsOptions options = options();
        boolean directory = Files.isDirectory(source);
        if (!directory && !Files.isRegularFile(source)) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, source + ": no such directory or tar archive");
        }
        Path target = image.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": the directory " + target.getParent() + " does not exist");
        }
        if (directory && target.startsWith(source.toAbsolutePath())) {
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + " lies inside the source directory " + source);
        }
        StatusOutput status = StatusOutput.of(spec, environment);
        try (ErofsWriter w = ErofsWriter.create(target, options)) {
            if (directory) {
                w.addTree(source);
            } else {
                w.addTar(source);
            }
            w.finish();
        }
        status.step("wrote " + image + " (" + Files.size(target) + " bytes, " + options.compression() + ")");
        return 0;
    }

    ErofsOptions options() {
        if (threads != null && threads < 1) {
            throw usage("--threads: " + threads + " is not a positive number");
        }
        ErofsCompression compression;
        try {
            compression = ErofsCompression.parse(comp, size("--cluster-size", clusterSize));
        } catch (IllegalArgumentException e) {
            throw usage("--comp/--cluster-size: " + e.getMessage());
        }
        String epoch = environment.get("SOURCE_DATE_EPOCH");
        long mkfs;
        OptionalLong inodeTime;
        if (epoch != null && !epoch.isBlank()) {
            if (mkfsTime != null || allTime != null) {
                throw usage("SOURCE_DATE_EPOCH and --mkfs-time/--all-time cannot be used together");
            }
            try {
                mkfs = Long.parseLong(epoch.trim());
            } catch (NumberFormatException e) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, "SOURCE_DATE_EPOCH '" + epoch + "' is not a number of seconds");
            }
            inodeTime = OptionalLong.of(mkfs);
        } else {
            mkfs = mkfsTime != null ? mkfsTime : System.currentTimeMillis() / 1000;
            inodeTime = allTime != null ? OptionalLong.of(allTime) : OptionalLong.empty();
        }
        try {
            return ErofsOptions.of(mkfs).withCompression(compression).withAllRoot(allRoot).withXattrs(!noXattrs)
                    .withFixedInodeTime(inodeTime)
                    .withThreads(threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Parses 65536, 64K, 64k, 1M. */
    private static int size(String option, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        int shift = v.endsWith("K") ? 10 : v.endsWith("M") ? 20 : 0;
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits) << shift;
            if (n <= 0 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw usage(option + ": '" + value + "' is not a size (e.g. 65536, 64K, 1M)");
        }
    }

    private static CommandFailure usage(String message) {
        return new CommandFailure(ExitCode.USAGE, message);
    }
}
