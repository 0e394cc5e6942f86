package dev.sysext.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of verified downloads, one entry per URL. A download lands under a hidden partial name
 * ({@code .NAME.partial}) and is renamed to its final name only after it verifies; a file already in
 * the cache is used only if it verifies again, and is replaced otherwise. Processes (and threads)
 * sharing the directory take a lock per entry ({@link FileChannel#lock}), so they never see or leave
 * a partial file under the final name.
 *
 * <p>A download that fails for any reason but verification keeps its partial file, so the next run
 * can continue it ({@link HttpFetcher#downloadResuming}); one that fails verification is deleted,
 * so the next run starts over.
 */
public final class DownloadCache {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    /** The random-named partial files of earlier versions, removed when found. */
    private static final String OLD_PART = ".part-";
    private static final String PARTIAL = ".partial";

    private final Path directory;

    /** Downloads of a file into a temporary path the cache chose. */
    @FunctionalInterface
    public interface Download {
        /**
         * Writes the whole file to {@code temporary}, which may hold the start of it from an
         * interrupted earlier run: continue it, or overwrite it.
         */
        void into(Path temporary) throws IOException;
    }

    /** Checks a candidate file; throws {@link VerificationException} when it is not the expected file. */
    @FunctionalInterface
    public interface Check {
        /** Verifies {@code candidate}. */
        void verify(Path candidate) throws IOException;
    }

    /** A cache in {@code directory} (created when first used). */
    public DownloadCache(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /**
     * {@code $XDG_CACHE_HOME/sysext}, else {@code $HOME/.cache/sysext}, from {@code environment}
     * (pass {@code System.getenv()}); falls back to the {@code user.home} property.
     */
    public static Path defaultDirectory(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "sysext");
        }
        String home = environment.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".cache", "sysext");
    }

    /** The cache directory. */
    public Path directory() {
        return directory;
    }

    /** Where the entry for {@code url} named {@code fileName} lives (whether or not it exists). */
    public Path pathFor(URI url, String fileName) {
        checkFileName(fileName);
        String key = Checksum.hash(HashAlgorithm.SHA256, url.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32);
        return directory.resolve(key).resolve(fileName);
    }

    /**
     * The verified file for {@code url}: the cached one if it verifies again, else a fresh download
     * that verifies. Nothing unverified is ever left under the returned name.
     *
     * @throws VerificationException when the fresh download fails {@code check} (it is deleted)
     * @throws FetchException when the download fails
     */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    public Path obtain(URI url, String fileName, Download download, Check check) throws IOException {
        Path target = pathFor(url, fileName);
        Path entry = target.getParent();
        Files.createDirectories(entry);
        Path lockFile = entry.resolve(".lock");
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockChannel.lock()) {
            if (Files.isRegularFile(target)) {
                try {
                    check.verify(target);
                    return target;
                } catch (VerificationException stale) {
                    Files.delete(target);
                }
            }
            removeLeftovers(entry);
            Path partial = entry.resolve("." + fileName + PARTIAL);
            try {
                download.into(partial);
                check.verify(partial);
            } catch (VerificationException wrong) {
                removePartials(entry, fileName);
                throw wrong;
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removePartials(entry, fileName);
            return target;
        } finally {
            jvmLock.unlock();
        }
    }

    /** The partial file and what a download keeps beside it (its validator). */
    private static void removePartials(Path entry, String fileName) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(entry,
                p -> p.getFileName().toString().startsWith("." + fileName + PARTIAL))) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Under the entry's lock, an old-style random-named partial file belongs to a process that died. */
    private static void removeLeftovers(Path entry) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(entry, "*" + OLD_PART + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkFileName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\") || name.contains("\0")) {
            throw new IllegalArgumentException("'" + name + "' is not a plain file name");
        }
    }
}
