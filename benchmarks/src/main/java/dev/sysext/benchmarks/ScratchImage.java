package dev.sysext.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a benchmark writes its image: a temporary directory made at set-up (which may hold the
 * benchmark's input too) and the image's path in it, removed with all it holds at tear-down.
 */
record ScratchImage(Path dir, Path image) {

    /** A new temporary directory named {@code prefix...}, with the image {@code imageName} to be written in it. */
    static ScratchImage create(String prefix, String imageName) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        return new ScratchImage(dir, dir.resolve(imageName));
    }

    /** As {@link #create}, but in {@code /dev/shm} where it can be written (tmpfs: the writer's fsync costs nothing there). */
    static ScratchImage inMemory(String prefix, String imageName) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, prefix)
                : Files.createTempDirectory(prefix);
        return new ScratchImage(dir, dir.resolve(imageName));
    }

    /** The size of the image last written. */
    long imageSize() throws IOException {
        return Files.size(image);
    }

    /** Removes the directory and everything in it. */
    void delete() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
