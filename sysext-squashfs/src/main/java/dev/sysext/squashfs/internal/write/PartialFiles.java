package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The hidden partial files images are written to, {@code .NAME.sysext-RANDOM.partial} beside the
 * image, and the removal of those that killed runs left behind.
 *
 * <p>A writer holds an exclusive lock ({@link FileChannel#tryLock()}) on its partial file for as long
 * as it writes, and the kernel drops the lock when the process ends, however it ends (a SIGKILL, an
 * OOM kill). So a partial file whose lock another process can take has no writer any more. Before a
 * writer creates its own partial file, it removes such files in the same directory, unless:
 * <ul>
 * <li>this JVM writes them: they are skipped without being opened, because on Linux closing any
 *     channel to a file drops every lock the process holds on it;</li>
 * <li>they were modified in the last {@link #GRACE}: a writer creates its file an instant before it
 *     locks it, and a lock test in that instant would succeed.</li>
 * </ul>
 * Only names of this exact shape are touched; other hidden files are never opened.
 */
final class PartialFiles {
    /** How recently a partial file may have been modified and still be left alone though unlocked. */
    static final Duration GRACE = Duration.ofSeconds(60);
    private static final Pattern NAME = Pattern.compile("\\..+\\.sysext-[0-9a-z]{1,13}\\.partial");
    private static final Set<Path> OURS = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PartialFiles() {
    }

    /** Removes stale partial files beside {@code target}, then creates (empty) the partial file for it. */
    static Path create(Path target) throws IOException {
        Path dir = target.getParent();
        removeStale(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".sysext-"
                + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".partial");
        OURS.add(temp);
        try {
            // Not createTempFile: that makes the file 0600, and the image should get the umask's mode.
            return Files.createFile(temp);
        } catch (IOException | RuntimeException e) {
            OURS.remove(temp);
            throw e;
        }
    }

    /** Opens {@code temp} for writing and locks it for as long as the channel stays open. */
    static FileChannel openLocked(Path temp) throws IOException {
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            if (ch.tryLock() == null) {
                throw new IOException(temp + ": another process locked this new partial image");
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** {@code temp} is gone (renamed or deleted): it is no longer this JVM's. */
    static void forget(Path temp) {
        OURS.remove(temp);
    }

    /**
     * Removes the partial files in {@code dir} that no live writer holds; best effort (a file that
     * cannot be opened or deleted stays). Returns the files removed.
     */
    static List<Path> removeStale(Path dir) {
        List<Path> removed = new ArrayList<>();
        Instant recent = Instant.now().minus(GRACE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
                p -> NAME.matcher(p.getFileName().toString()).matches())) {
            for (Path p : ds) {
                if (OURS.contains(p) || !Files.isRegularFile(p)
                        || Files.getLastModifiedTime(p).toInstant().isAfter(recent)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
                     FileLock lock = ch.tryLock()) {
                    if (lock != null) {
                        Files.delete(p);
                        removed.add(p);
                    }
                } catch (IOException | OverlappingFileLockException e) {
                    // Locked, gone meanwhile, or not ours to open: leave it.
                }
            }
        } catch (IOException e) {
            // An unreadable directory: the writer's own create will report it.
        }
        return removed;
    }
}
