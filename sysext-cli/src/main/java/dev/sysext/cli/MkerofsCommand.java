package dev.sysext.cli;

import dev.sysext.erofs.ErofsCompression;
import dev.sysext.erofs.ErofsOptions;
import dev.sysext.erofs.ErofsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
            "image time and every inode time are set to it. Compression: none, lz4, or lz4hc with a level, in",
            "physical clusters of --cluster-size bytes with packed tails (the bakery's -zlz4hc,12 -C65536 by default)."},
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

    @Option(names = {"--xattr-tolerance", "-x"}, paramLabel = "N",
            description = "Store an xattr (name and value) that more than N entries carry once, in the shared xattr area"
                    + " (default 2, as mkfs.erofs -x); 2147483647 keeps every xattr inline.")
    int xattrTolerance = ErofsOptions.DEFAULT_XATTR_TOLERANCE;

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
        boolean directory = ImageSource.check(source, image);
        Path target = image.toAbsolutePath();
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
        if (xattrTolerance < 0) {
            // mkfs.erofs takes a negative -x as "no xattrs"; we have --no-xattrs for that.
            throw usage("--xattr-tolerance: " + xattrTolerance + " is negative (--no-xattrs drops xattrs)");
        }
        ErofsCompression compression;
        try {
            compression = ErofsCompression.parse(comp, ImageSource.size("--cluster-size", clusterSize));
        } catch (IllegalArgumentException e) {
            throw usage("--comp/--cluster-size: " + e.getMessage());
        }
        ImageSource.Times times = ImageSource.times(environment, mkfsTime, allTime);
        try {
            return ErofsOptions.of(times.mkfs()).withCompression(compression).withAllRoot(allRoot).withXattrs(!noXattrs)
                    .withXattrTolerance(xattrTolerance).withFixedInodeTime(times.inodeTime())
                    .withThreads(threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Bad option values are usage errors, reported like picocli's own. */
    private static CommandFailure usage(String message) {
        return ImageSource.usage(message);
    }
}
