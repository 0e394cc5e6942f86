package dev.sysext.stage.internal;

import dev.sysext.entry.internal.archive.ArchiveInput;
import dev.sysext.stage.StageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Streams a tar archive's entries into a {@link TarTarget} (the image tree), refusing entries that would escape the
 * archive's tree (absolute names, {@code ..}, links pointing outside) or that have no place in an
 * image (devices, FIFOs). Content flows from the archive to the image without touching the disk.
 */
public final class TarStaging {
    private final Path archive;
    private final Function<String, Optional<String>> mapping;
    private final Function<String, Optional<Boolean>> executable;

    /** Stages {@code archive}, placing each entry where {@code mapping} says (or nowhere). */
    public TarStaging(Path archive, Function<String, Optional<String>> mapping) {
        this(archive, mapping, target -> Optional.empty());
    }

    /**
     * Like {@link #TarStaging(Path, Function)}; {@code executable} may force the mode of a file by
     * its image path (true: 0755, false: 0644), else the archive's execute bits decide.
     */
    public TarStaging(Path archive, Function<String, Optional<String>> mapping,
                      Function<String, Optional<Boolean>> executable) {
        this.archive = archive;
        this.mapping = mapping;
        this.executable = executable;
    }

    /** Adds the archive's entries to {@code tree} and returns how many were added. */
    public int into(TarTarget tree) throws IOException {
        int added = 0;
        // Image path of each regular file seen so far, by entry name (hard links refer back to them).
        Map<String, Optional<String>> files = new HashMap<>();
        try (InputStream raw = Files.newInputStream(archive)) {
            ArchiveInput tar = new ArchiveInput(raw, archive.toString(), null);
            for (TarArchiveEntry e; (e = next(tar)) != null; ) {
                String what = archive.getFileName() + ": entry '" + e.getName() + "'";
                List<String> parts = ImagePaths.components(e.getName(), what);
                String name = String.join("/", parts);
                Optional<String> target = name.isEmpty() ? Optional.empty() : mapping.apply(name);
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    throw new StageException(what + ": devices, FIFOs and sockets have no place in a sysext image");
                } else if (e.isDirectory()) {
                    if (target.isPresent()) {
                        tree.directory(target.get());
                        added++;
                    }
                } else if (e.isSymbolicLink()) {
                    checkSymlink(parts, e.getLinkName(), what);
                    if (target.isPresent()) {
                        tree.symlink(target.get(), e.getLinkName());
                        added++;
                    }
                } else if (e.isLink()) {
                    String linked = String.join("/", ImagePaths.components(e.getLinkName(), what + " (hard link target)"));
                    Optional<String> linkedTarget = files.get(linked);
                    if (linkedTarget == null) {
                        throw new StageException(what + ": hard link to '" + e.getLinkName()
                                + "', which is not an earlier file of the archive");
                    }
                    files.put(name, target);
                    if (target.isPresent()) {
                        if (linkedTarget.isEmpty()) {
                            throw new StageException(what + ": hard link to '" + linked + "', which is left out of the image");
                        }
                        tree.hardLink(target.get(), linkedTarget.get());
                        added++;
                    }
                } else if (e.isFile()) {
                    files.put(name, target);
                    if (target.isPresent()) {
                        try {
                            tree.file(target.get(), executable.apply(target.get()).orElse((e.getMode() & 0111) != 0),
                                    tar.content(e.getSize()), e.getSize());
                        } catch (ArchiveInput.ArchiveException bad) {
                            // The archive is at fault, not the disk: a StageException, named as ArchiveInput put it.
                            throw new StageException(bad.getMessage(), bad);
                        }
                        added++;
                    }
                } else {
                    throw new StageException(what + ": entry type '" + (char) e.getLinkFlag() + "' has no place in a sysext image");
                }
            }
        }
        return added;
    }

    private static TarArchiveEntry next(ArchiveInput tar) throws StageException {
        try {
            return tar.next();
        } catch (IOException e) {
            // Already names the archive and says what is wrong.
            throw new StageException(e.getMessage(), e);
        }
    }

    /** A relative link may climb with {@code ..} only as far as the archive's top; absolute ones leave it. */
    private static void checkSymlink(List<String> entry, String linkTarget, String what) throws StageException {
        if (linkTarget.isEmpty() || linkTarget.startsWith("/")) {
            throw new StageException(what + ": symbolic link to '" + linkTarget + "' points outside the archive's tree");
        }
        List<String> at = new ArrayList<>(entry.subList(0, entry.size() - 1));
        for (String p : linkTarget.split("/")) {
            if (p.equals("..")) {
                if (at.isEmpty()) {
                    throw new StageException(what + ": symbolic link to '" + linkTarget
                            + "' points outside the archive's tree");
                }
                at.remove(at.size() - 1);
            } else if (!p.isEmpty() && !p.equals(".")) {
                at.add(p);
            }
        }
    }
}
