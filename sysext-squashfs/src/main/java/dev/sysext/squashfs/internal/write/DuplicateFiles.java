package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Finds an earlier file with the same content as a new one. Size and a CRC-32C of the whole content
 * only pick candidates; the bytes decide: files read from paths are compared with the earlier
 * file on disk before anything is compressed, streamed files with the earlier file's blocks read
 * back from the image. Grows with the number of files, not with their bytes.
 */
final class DuplicateFiles {
    private record Key(long size, int crc) {
    }

    private record PathCandidate(Path source, FileData data) {
    }

    private final Map<Key, List<PathCandidate>> paths = new HashMap<>();
    private final Map<Key, List<FileData>> streamed = new HashMap<>();
    private final int blockSize;
    private final PlacedBlockReader reader;
    private final FragmentTable fragments;
    private final byte[] earlier;
    private final byte[] later;

    DuplicateFiles(int blockSize, PlacedBlockReader reader, FragmentTable fragments) {
        this.blockSize = blockSize;
        this.reader = reader;
        this.fragments = fragments;
        this.earlier = new byte[blockSize];
        this.later = new byte[blockSize];
    }

    /** The CRC-32C of a file's whole content (one read, through a buffer reused for every file). */
    int checksum(Path source) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = later;
        try (InputStream in = Files.newInputStream(source)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return (int) crc.getValue();
    }

    /** An earlier path file with the same bytes as {@code source}, or null. */
    FileData findPath(Path source, long size, int crc) throws IOException {
        List<PathCandidate> candidates = paths.get(new Key(size, crc));
        if (candidates != null) {
            for (PathCandidate c : candidates) {
                if (Files.mismatch(c.source(), source) == -1) {
                    return c.data();
                }
            }
        }
        return null;
    }

    void addPath(Path source, long size, int crc, FileData data) {
        paths.computeIfAbsent(new Key(size, crc), k -> new ArrayList<>(1)).add(new PathCandidate(source, data));
    }

    /**
     * An earlier streamed file whose stored content equals {@code file}'s: its first
     * {@code fullBlocks} blocks, already placed in the image, and then {@code tail} bytes held in
     * {@code tailData}. Null when there is none.
     */
    FileData findStreamed(FileData file, int fullBlocks, byte[] tailData, int tail, int crc) throws IOException {
        List<FileData> candidates = streamed.get(new Key(file.size, crc));
        if (candidates == null) {
            return null;
        }
        for (FileData c : candidates) {
            if (sameContent(c, file, fullBlocks, tailData, tail)) {
                return c;
            }
        }
        return null;
    }

    /** True when no earlier streamed file has this size and checksum (so nothing needs checking). */
    boolean hasNoStreamedCandidate(long size, int crc) {
        return !streamed.containsKey(new Key(size, crc));
    }

    void addStreamed(FileData file, int crc) {
        streamed.computeIfAbsent(new Key(file.size, crc), k -> new ArrayList<>(1)).add(file);
    }

    private boolean sameContent(FileData c, FileData file, int fullBlocks, byte[] tailData, int tail) throws IOException {
        long at = c.blocksStart;
        long laterAt = file.blocksStart;
        for (int i = 0; i < fullBlocks; i++) {
            int cWord = c.blockSizes[i];
            int fWord = file.blockSizes[i];
            if (!reader.read(at, cWord, blockSize, earlier) || !reader.read(laterAt, fWord, blockSize, later)
                    || !Arrays.equals(earlier, later)) {
                return false;
            }
            at += cWord & dev.sysext.squashfs.internal.format.Layout.DATA_SIZE_MASK;
            laterAt += fWord & dev.sysext.squashfs.internal.format.Layout.DATA_SIZE_MASK;
        }
        if (tail == 0) {
            return true;
        }
        if (c.hasFragment()) {
            return fragments.holds(c.fragmentIndex, c.fragmentOffset, tailData, tail);
        }
        return c.blockCount > fullBlocks && reader.read(at, c.blockSizes[fullBlocks], tail, earlier)
                && Arrays.equals(earlier, 0, tail, tailData, 0, tail);
    }
}
