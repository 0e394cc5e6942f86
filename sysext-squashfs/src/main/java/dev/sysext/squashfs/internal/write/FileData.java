package dev.sysext.squashfs.internal.write;

/**
 * Where one regular file's content lies in the image: its run of data blocks, and optionally a
 * slice of a fragment block. Filled in as the file's blocks are placed.
 */
final class FileData {
    static final int NO_FRAGMENT = 0xFFFFFFFF;

    final long size;
    /** Sized for every block; {@link #blockCount} of them are used (the tail may go to a fragment). */
    final int[] blockSizes;
    int blockCount;
    long blocksStart;
    long sparseBytes;
    int fragmentIndex = NO_FRAGMENT;
    int fragmentOffset;

    FileData(long size, int blockCount) {
        this.size = size;
        this.blockSizes = new int[blockCount];
        this.blockCount = blockCount;
    }

    boolean hasFragment() {
        return fragmentIndex != NO_FRAGMENT;
    }
}
