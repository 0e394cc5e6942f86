package dev.sysext.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@code mksquashfs} and {@code mkerofs} take alike: a source directory or tar archive and the
 * image to write, sizes written as mksquashfs writes them, and the image's times from
 * {@code --mkfs-time}, {@code --all-time} or {@code SOURCE_DATE_EPOCH}.
 */
final class ImageSource {
    private ImageSource() {
    }

    /** The superblock's time, and the one time every inode gets (empty: each keeps its own). */
    record Times(long mkfs, OptionalLong inodeTime) {
    }

    /**
     * Checks {@code source} and {@code image} before anything is written.
     *
     * @return whether the source is a directory (otherwise it is a file: a tar archive)
     */
    static boolean check(Path source, Path image) {
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
        return directory;
    }

    /**
     * The image's times: with {@code SOURCE_DATE_EPOCH} set, it is every time (and the options are
     * refused, as mksquashfs refuses them); otherwise the options, the image time defaulting to now.
     */
    static Times times(Map<String, String> environment, Long mkfsTime, Long allTime) {
        String epoch = environment.get("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            if (mkfsTime != null || allTime != null) {
                throw usage("SOURCE_DATE_EPOCH and --mkfs-time/--all-time cannot be used together (as in mksquashfs)");
            }
            long t;
            try {
                t = Long.parseLong(epoch.trim());
            } catch (NumberFormatException e) {
                throw new CommandFailure(ExitCode.INPUT_ERROR, "SOURCE_DATE_EPOCH '" + epoch + "' is not a number of seconds");
            }
            return new Times(t, OptionalLong.of(t));
        }
        return new Times(mkfsTime != null ? mkfsTime : System.currentTimeMillis() / 1000,
                allTime != null ? OptionalLong.of(allTime) : OptionalLong.empty());
    }

    /** Parses 131072, 128K, 128k, 1M. */
    static int size(String option, String value) {
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
            throw usage(option + ": '" + value + "' is not a size (e.g. 131072, 128K, 1M)");
        }
    }

    /** Bad option values are usage errors, reported like picocli's own. */
    static CommandFailure usage(String message) {
        return new CommandFailure(ExitCode.USAGE, message);
    }
}
