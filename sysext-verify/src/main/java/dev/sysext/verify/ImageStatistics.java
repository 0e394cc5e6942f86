package dev.sysext.verify;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What an image holds, read back with the SquashFS or EROFS reader.
 *
 * @param files regular files, hard links counted once
 * @param fileBytes their bytes (what went in)
 * @param imageBytes the image file's size (what came out)
 */
public record ImageStatistics(long files, long fileBytes, long imageBytes) {
    /**
     * Reads {@code image}'s tree.
     *
     * @throws IOException when the image cannot be read
     */
    public static ImageStatistics of(Path image) throws IOException {
        long[] counts = new long[2];
        Set<Long> inodes = new HashSet<>();
        try (ImageReader img = ExtensionImage.open(image)) {
            for (ImageEntry e : img.entries()) {
                if (e.isFile() && inodes.add(e.inodeNumber())) {
                    counts[0]++;
                    counts[1] += e.size();
                }
            }
        }
        return new ImageStatistics(counts[0], counts[1], Files.size(image));
    }
}
