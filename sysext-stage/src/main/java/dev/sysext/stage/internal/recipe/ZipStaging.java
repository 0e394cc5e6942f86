package dev.sysext.stage.internal.recipe;

import dev.sysext.stage.ImageTree;
import dev.sysext.stage.StageException;
import dev.sysext.stage.internal.ImagePaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Streams a zip archive's files into an {@link ImageTree}, in the order of its central directory
 * (fixed by the archive, so the image is reproducible). Names that escape the tree are refused like
 * tar entries; symbolic links are refused (HashiCorp's zips hold one binary, nothing else needs them).
 */
public final class ZipStaging {
    private ZipStaging() {
    }

    /**
     * Adds the archive's files to {@code tree}; {@code executable} may force a mode by image path,
     * else the entry's Unix execute bits decide (0755 when the zip records no Unix mode).
     *
     * @return how many entries were added
     */
    public static int into(Path archive, ImageTree tree, Function<String, Optional<String>> mapping,
                           Function<String, Optional<Boolean>> executable) throws IOException {
        int added = 0;
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(archive).get();
        } catch (IOException e) {
            throw new StageException(archive + ": not a readable zip archive: " + e.getMessage(), e);
        }
        try (zip) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            for (ZipArchiveEntry e : entries) {
                String what = archive.getFileName() + ": entry '" + e.getName() + "'";
                String name = String.join("/", ImagePaths.components(e.getName(), what));
                Optional<String> target = name.isEmpty() ? Optional.empty() : mapping.apply(name);
                if (e.isUnixSymlink()) {
                    throw new StageException(what + ": symbolic links in zip archives are not supported");
                }
                if (target.isEmpty()) {
                    continue;
                }
                if (e.isDirectory()) {
                    tree.directory(target.get());
                } else {
                    int mode = e.getUnixMode();
                    boolean exec = executable.apply(target.get()).orElse(mode == 0 || (mode & 0111) != 0);
                    try (InputStream in = zip.getInputStream(e)) {
                        tree.file(target.get(), exec, in, e.getSize());
                    }
                }
                added++;
            }
        }
        return added;
    }
}
