package dev.sysext.stage;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.entry.EntryWriter;
import dev.sysext.stage.internal.ImagePaths;
import dev.sysext.stage.internal.TarStaging;
import dev.sysext.stage.internal.TarTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;

/**
 * The image's file tree as a recipe lays it out, written straight into the SquashFS (or EROFS) writer. It
 * enforces what every sysext image must be: everything owned by root, every time the build's epoch,
 * nothing outside {@code usr/} and {@code opt/}, nothing in {@code usr/sbin}, no path written
 * twice. Parent directories are created as needed (0755). Modes are normalised: 0755 for
 * directories and executables, 0644 for other files.
 */
public final class ImageTree {
    private static final String UNIT_DIRECTORY = "usr/lib/systemd/system/";

    private final EntryWriter writer;
    private final long epoch;
    private final Set<String> directories = new HashSet<>();
    private final Set<String> entries = new HashSet<>();
    private boolean shipsUnits;

    ImageTree(EntryWriter writer, long epoch) {
        this.writer = writer;
        this.epoch = epoch;
        writer.directory("", metadata(true));
    }

    /** Adds a directory (and its parents). */
    public void directory(String path) throws IOException {
        makeDirectories(ImagePaths.check(path, "directory"));
    }

    /** Adds a file with {@code size} bytes read from {@code content} now (the stream is not closed). */
    public void file(String path, boolean executable, InputStream content, long size) throws IOException {
        String p = claim(path, "file");
        writer.file(p, metadata(executable), content, size);
    }

    /** Adds a file whose content is {@code content}. */
    public void file(String path, boolean executable, byte[] content) throws IOException {
        file(path, executable, new ByteArrayInputStream(content), content.length);
    }

    /** Adds a file with the content of {@code source}. */
    public void file(String path, boolean executable, Path source) throws IOException {
        String p = claim(path, "file");
        writer.file(p, metadata(executable), source);
    }

    /**
     * Adds a file whose content is the resource {@code name} of {@code owner}'s package (a recipe's
     * static file; loading through the recipe's class keeps module encapsulation).
     *
     * @throws StageException when there is no such resource (a packaging bug)
     */
    public void resource(String path, boolean executable, Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new StageException(owner.getName() + ": resource '" + name + "' is missing");
            }
            file(path, executable, in.readAllBytes());
        }
    }

    /** Adds a symbolic link to {@code target}, stored as given. */
    public void symlink(String path, String target) throws IOException {
        String p = claim(path, "symlink");
        writer.symlink(p, EntryMetadata.of(0777, 0, 0, epoch), target);
    }

    /** Adds {@code path} as another name of the file at {@code target}, added before. */
    public void hardLink(String path, String target) throws IOException {
        String t = ImagePaths.check(target, "hard link target");
        if (!entries.contains(t)) {
            throw new StageException("hard link '" + path + "': its target '" + target + "' is not in the image");
        }
        String p = claim(path, "hard link");
        writer.hardLink(p, t);
    }

    /**
     * Streams the entries of a tar archive ({@code .tar}, {@code .tar.gz}, {@code .tar.xz},
     * {@code .tar.zst}) into the image, with no extraction to disk. Every entry is checked first:
     * absolute names, {@code ..} components, symbolic and hard links that leave the archive's tree,
     * and devices or FIFOs are refused, naming the entry. Then {@code mapping} gives each entry's
     * path in the image, or empty to leave it out.
     *
     * @param archive the verified archive
     * @param mapping from the entry's normalised name (no {@code ./}, no trailing {@code /}) to its image path
     * @return how many entries were added
     * @throws StageException when an entry is refused or the archive is not a readable tar
     */
    public int tarball(Path archive, Function<String, Optional<String>> mapping) throws IOException {
        return tarball(archive, mapping, target -> Optional.empty());
    }

    /**
     * Like {@link #tarball(Path, Function)}; {@code executable} may force a file's mode by its image
     * path (true: 0755, false: 0644), else the archive's execute bits decide.
     *
     * @param archive the verified archive
     * @param mapping from the entry's normalised name to its image path
     * @param executable from an image path to the mode forced on it, if any
     * @return how many entries were added
     * @throws StageException when an entry is refused or the archive is not a readable tar
     */
    public int tarball(Path archive, Function<String, Optional<String>> mapping,
                       Function<String, Optional<Boolean>> executable) throws IOException {
        return new TarStaging(archive, mapping, executable).into(new TarTarget() {
            @Override
            public void directory(String path) throws IOException {
                ImageTree.this.directory(path);
            }

            @Override
            public void symlink(String path, String target) throws IOException {
                ImageTree.this.symlink(path, target);
            }

            @Override
            public void hardLink(String path, String target) throws IOException {
                ImageTree.this.hardLink(path, target);
            }

            @Override
            public void file(String path, boolean executable, InputStream content, long size) throws IOException {
                ImageTree.this.file(path, executable, content, size);
            }
        });
    }

    /** Whether a systemd unit was added (the image then needs {@code EXTENSION_RELOAD_MANAGER=1}). */
    boolean shipsUnits() {
        return shipsUnits;
    }

    private String claim(String path, String what) throws IOException {
        String p = ImagePaths.check(path, what);
        if (directories.contains(p) || !entries.add(p)) {
            throw new StageException(what + " '" + p + "' is added twice");
        }
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
            throw new StageException(what + " '" + p + "': the top of the image holds only directories");
        }
        makeDirectories(p.substring(0, slash));
        if (p.startsWith(UNIT_DIRECTORY)) {
            shipsUnits = true;
        }
        return p;
    }

    private void makeDirectories(String dir) throws StageException {
        if (entries.contains(dir)) {
            throw new StageException("'" + dir + "' is both a file and a directory");
        }
        if (!directories.add(dir)) {
            return;
        }
        int slash = dir.lastIndexOf('/');
        if (slash > 0) {
            makeDirectories(dir.substring(0, slash));
        }
        writer.directory(dir, metadata(true));
    }

    private EntryMetadata metadata(boolean executable) {
        return EntryMetadata.of(executable ? 0755 : 0644, 0, 0, epoch);
    }
}
