package dev.sysext.squashfs.writer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams one file's content into blocks: full blocks (and a short last block when it does not go
 * to a fragment) go to the {@link BlockProcessor}, the tail to the {@link FragmentTable}. Only one
 * block of the file is in this class's hands at a time.
 */
final class DataWriter {
    private final int blockSize;
    private final boolean fragments;
    private final boolean tailEnds;
    private final BlockProcessor processor;
    private final FragmentTable fragmentTable;

    DataWriter(int blockSize, boolean fragments, boolean tailEnds, BlockProcessor processor, FragmentTable fragmentTable) {
        this.blockSize = blockSize;
        this.fragments = fragments;
        this.tailEnds = tailEnds;
        this.processor = processor;
        this.fragmentTable = fragmentTable;
    }

    /**
     * Reads exactly {@code size} bytes of {@code in}.
     *
     * @param name the entry, for error messages
     */
    FileData write(InputStream in, long size, String name) throws IOException {
        long fullBlocks = size / blockSize;
        int tail = (int) (size % blockSize);
        if (fullBlocks + 1 > Integer.MAX_VALUE - 8) {
            throw new IOException(name + ": " + size + " bytes is too large for block size " + blockSize);
        }
        FileData file = new FileData(size, (int) fullBlocks + (tail > 0 ? 1 : 0));
        long done = 0;
        for (int i = 0; i < fullBlocks; i++) {
            byte[] data = readFully(in, blockSize, name, done, size);
            done += blockSize;
            submit(file, i, data, blockSize);
        }
        if (tail > 0) {
            byte[] data = readFully(in, tail, name, done, size);
            // mksquashfs packs whole small files, and tails of larger files only with -tailends;
            // an all-zero tail becomes a sparse block instead, as there.
            if (fragments && (fullBlocks == 0 || tailEnds) && !BlockProcessor.isZero(data, tail)) {
                file.blockCount--;
                fragmentTable.add(data, tail, file);
            } else {
                submit(file, (int) fullBlocks, data, tail);
            }
        }
        return file;
    }

    private void submit(FileData file, int index, byte[] data, int len) throws IOException {
        processor.submit(new BlockJob(data, len, false, (location, sizeWord) -> {
            if (index == 0) {
                file.blocksStart = location;
            }
            file.blockSizes[index] = sizeWord;
            if (sizeWord == 0) {
                file.sparseBytes += len;
            }
        }));
    }

    private static byte[] readFully(InputStream in, int len, String name, long done, long size) throws IOException {
        byte[] data = new byte[len];
        int n = in.readNBytes(data, 0, len);
        if (n < len) {
            throw new EOFException(name + ": content ended after " + (done + n) + " of " + size + " bytes");
        }
        return data;
    }
}
