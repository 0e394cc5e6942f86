package dev.sysext.squashfs.internal.write;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

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
    private final ImageOutput out;
    /** Null without deduplication. */
    private final DuplicateFiles duplicates;

    DataWriter(int blockSize, boolean fragments, boolean tailEnds, BlockProcessor processor, FragmentTable fragmentTable,
            ImageOutput out, DuplicateFiles duplicates) {
        this.out = out;
        this.duplicates = duplicates;
        this.blockSize = blockSize;
        this.fragments = fragments;
        this.tailEnds = tailEnds;
        this.processor = processor;
        this.fragmentTable = fragmentTable;
    }

    /**
     * Reads exactly {@code size} bytes of {@code in}. With deduplication, a file whose content
     * equals an earlier streamed file's is rolled back out of the image and shares the earlier
     * file's blocks and fragment (the returned data is then the earlier file's).
     *
     * @param name the entry, for error messages
     */
    FileData write(InputStream in, long size, String name) throws IOException {
        return write(in, size, name, duplicates != null);
    }

    /** As {@link #write(InputStream, long, String)}; {@code dedup} false when the caller already checked. */
    FileData write(InputStream in, long size, String name, boolean dedup) throws IOException {
        long fullBlocks = size / blockSize;
        int tail = (int) (size % blockSize);
        if (fullBlocks + 1 > Integer.MAX_VALUE - 8) {
            throw new IOException(name + ": " + size + " bytes is too large for block size " + blockSize);
        }
        FileData file = new FileData(size, (int) fullBlocks + (tail > 0 ? 1 : 0));
        // Whole small files are found as duplicate fragments instead.
        CRC32C crc = dedup && fullBlocks > 0 ? new CRC32C() : null;
        long done = 0;
        for (int i = 0; i < fullBlocks; i++) {
            byte[] data = readFully(in, processor.buffer(), blockSize, name, done, size);
            if (crc != null) {
                crc.update(data, 0, blockSize);
            }
            done += blockSize;
            submit(file, i, data, blockSize);
        }
        byte[] tailData = null;
        if (tail > 0) {
            tailData = readFully(in, processor.buffer(), tail, name, done, size);
            if (crc != null) {
                crc.update(tailData, 0, tail);
            }
        }
        if (crc != null) {
            int sum = (int) crc.getValue();
            FileData same = duplicates.hasNoStreamedCandidate(file.size, sum) ? null
                    : findWritten(file, (int) fullBlocks, tailData, tail, sum);
            if (same != null) {
                if (tailData != null) {
                    processor.recycle(tailData);
                }
                return same;
            }
            duplicates.addStreamed(file, sum);
        }
        if (tail > 0) {
            byte[] data = tailData;
            // mksquashfs packs whole small files, and tails of larger files only with -tailends;
            // an all-zero tail becomes a sparse block instead, as there.
            if (fragments && (fullBlocks == 0 || tailEnds) && !BlockProcessor.isZero(data, tail)) {
                file.blockCount--;
                fragmentTable.add(data, tail, file);
                processor.recycle(data);
            } else {
                submit(file, (int) fullBlocks, data, tail);
            }
        }
        return file;
    }

    private FileData findWritten(FileData file, int fullBlocks, byte[] tailData, int tail, int sum) throws IOException {
        processor.drain();
        FileData same = duplicates.findStreamed(file, fullBlocks, tailData, tail, sum);
        if (same != null && fullBlocks > 0) {
            // Nothing was placed after this file's blocks: they are the end of the image.
            out.rollBack(file.blocksStart);
        }
        return same;
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

    private byte[] readFully(InputStream in, byte[] data, int len, String name, long done, long size) throws IOException {
        int n = in.readNBytes(data, 0, len);
        if (n < len) {
            processor.recycle(data);
            throw new EOFException(name + ": content ended after " + (done + n) + " of " + size + " bytes");
        }
        return data;
    }
}
