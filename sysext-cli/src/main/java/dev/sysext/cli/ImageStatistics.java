package dev.sysext.cli;

import dev.sysext.squashfs.ImageEntry;
import dev.sysext.squashfs.SquashfsImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a written image holds, read back with the SquashFS reader: regular files (hard links counted
 * once), their bytes (in) and the image size (out).
 */
record ImageStatistics(long files, long fileBytes, long imageBytes) {
    static ImageStatistics of(Path image) throws IOException {
        long[] counts = new long[2];
        Set<Long> inodes = new HashSet<>();
        try (SquashfsImage img = SquashfsImage.open(image)) {
            img.walk((ImageEntry e) -> {
                if (e.isFile() && inodes.add(e.inodeNumber())) {
                    counts[0]++;
                    counts[1] += e.size();
                }
            }, false);
        }
        return new ImageStatistics(counts[0], counts[1], Files.size(image));
    }

    /** {@code 5 files, 80.2 MiB in, 27.9 MiB out}. */
    String describe() {
        return files + (files == 1 ? " file, " : " files, ") + Sizes.bytes(fileBytes) + " in, " + Sizes.bytes(imageBytes) + " out";
    }
}
