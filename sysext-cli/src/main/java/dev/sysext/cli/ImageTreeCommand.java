package dev.sysext.cli;

import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.entry.ImageExtractReport;
import dev.sysext.entry.ImageReader;
import dev.sysext.erofs.ErofsImage;
import dev.sysext.squashfs.SquashfsImage;
import dev.sysext.verify.ExtensionImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and the work of {@code sysext extract} and {@code sysext unsquashfs}, which differ
 * only in name and help: list or extract a SquashFS or EROFS image (told apart by magic) through
 * the format-neutral {@link ImageReader}.
 */
abstract class ImageTreeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image: SquashFS or EROFS (told apart by magic).")
    Path image;

    @Option(names = "--list", description = "List the entries instead of extracting them.")
    boolean list;

    @Option(names = "--dest", paramLabel = "DIR", description = "Where to extract (default: ${DEFAULT-VALUE}).",
            defaultValue = "squashfs-root")
    Path dest;

    @Option(names = "--no-xattrs", description = "Do not restore extended attributes.")
    boolean noXattrs;

    @Option(names = "--force", description = "Extract into a destination that already has content, replacing what is in the way.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (ImageReader img = open()) {
            if (list) {
                img.list(out, "squashfs-root", ZoneId.systemDefault());
                out.flush();
                return 0;
            }
            ImageExtractReport report = img.extract(dest,
                    new ImageExtractOptions(!noXattrs, force, ImageExtractOptions.isRoot()));
            PrintWriter err = spec.commandLine().getErr();
            for (String s : report.skipped()) {
                err.println("sysext: warning: skipped " + s);
            }
            err.flush();
            out.printf("%d directories, %d files, %d symlinks, %d hard links, %d special files extracted to %s%n",
                    report.directories(), report.files(), report.symlinks(), report.hardLinks(), report.specials(), dest);
            out.flush();
        } catch (IOException e) {
            String m = CommandFailure.oneLine(e);
            // The EROFS reader names the image itself; the SquashFS reader does not.
            throw new CommandFailure(ExitCode.INPUT_ERROR, m.startsWith(image + ": ") ? m : image + ": " + m, e);
        }
        return 0;
    }

    /** The EROFS reader when the magic says EROFS; anything else goes to the SquashFS reader and its errors. */
    private ImageReader open() throws IOException {
        boolean erofs;
        try {
            erofs = ExtensionImage.detect(image) == ExtensionImage.Format.EROFS;
        } catch (IOException e) {
            erofs = false;
        }
        return erofs ? ErofsImage.open(image) : SquashfsImage.open(image);
    }
}
