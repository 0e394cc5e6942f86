package dev.sysext.cli;

import picocli.CommandLine.Command;

/**
 * {@code sysext extract}: lists or extracts a SquashFS or EROFS image. The same command as
 * {@code sysext unsquashfs} (same options and output) under a name that does not name one format.
 */
@Command(name = "extract",
        mixinStandardHelpOptions = true,
        header = "List or extract the contents of a SquashFS or EROFS image.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext extract --list containerd-2.2.0-x86-64.raw   # like unsquashfs -lln",
            "  sysext extract --dest /tmp/root containerd-2.2.0-x86-64.raw"},
        description = {"Lists or extracts an image, SquashFS or EROFS (found by its magic).",
            "With --list, prints one line per entry in the format of 'unsquashfs -lln' (paths under"
                + " squashfs-root, as unsquashfs prints them, whatever the format).",
            "Otherwise extracts into --dest (default ./squashfs-root), restoring modes, mtimes, symlinks,"
                + " hard links and user xattrs, and owners and device nodes when run as root.",
            "The same command as 'sysext unsquashfs', which keeps its name for the bakery's habits."})
final class ExtractCommand extends ImageTreeCommand {
}
