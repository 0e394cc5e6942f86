package dev.sysext.cli;

import picocli.CommandLine.Command;

/**
 * {@code sysext unsquashfs}: lists or extracts an image, like squashfs-tools' unsquashfs; kept
 * under this name for the bakery's habits. The same command as {@code sysext extract}.
 */
@Command(name = "unsquashfs",
        mixinStandardHelpOptions = true,
        header = "List or extract the contents of a SquashFS image, like unsquashfs.",
        footerHeading = "%nExamples:%n",
        footer = {"  sysext unsquashfs --list containerd-2.2.0-x86-64.raw   # unsquashfs -lln",
            "  sysext unsquashfs --dest /tmp/root containerd-2.2.0-x86-64.raw"},
        description = {"Lists or extracts a SquashFS image (or an EROFS image, found by its magic).",
            "With --list, prints one line per entry in the format of 'unsquashfs -lln'.",
            "Otherwise extracts into --dest (default ./squashfs-root), restoring modes, mtimes, symlinks,"
                + " hard links and user xattrs, and owners and device nodes when run as root.",
            "'sysext extract' is the same command under a name for both formats."})
final class UnsquashfsCommand extends ImageTreeCommand {
}
