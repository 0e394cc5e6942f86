package dev.sysext.cli;

import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.entry.ImageExtractReport;
import dev.sysext.squashfs.SquashfsImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysext unsquashfs}: lists or extracts a SquashFS image, like squashfs-tools' unsquashfs. */
@Command(name = "unsquashfs",
        mixinStandardHelpOptions = true,
        header = "List or extract the contents of a SquashFS image, like unsquashfs.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext unsquashfs --list containerd-2.2.0-x86-64.raw   # unsquashfs -lln",
            "  sysext unsquashfs --dest /tmp/root containerd-2.2.0-x86-64.raw"},
        description = {"Lists or extracts a SquashFS image.",
            "With --list, prints one line per entry in the format of 'unsquashfs -lln'.",
            "Otherwise extracts into --dest (default ./squashfs-root), restoring modes, mtimes, symlinks,"
                + " hard links and user xattrs, and owners and device nodes when run as root."})
final class UnsquashfsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The SquashFS image.")
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
        try (SquashfsImage img = SquashfsImage.open(image)) {
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
            throw new CommandFailure(ExitCode.INPUT_ERROR, image + ": " + CommandFailure.oneLine(e), e);
        }
        return 0;
    }
}
