package dev.sysext.squashfs.internal.write;

import dev.sysext.squashfs.internal.format.Layout;

/** A block as it goes on disk: {@code length} bytes of {@code bytes}, described by a size word. */
record CompressedBlock(byte[] bytes, int length, int sizeWord) {

    /** An all-zero data block: nothing on disk, size word 0. */
    static final CompressedBlock SPARSE = new CompressedBlock(new byte[0], 0, 0);

    static CompressedBlock raw(byte[] data, int length) {
        return new CompressedBlock(data, length, length | Layout.DATA_UNCOMPRESSED);
    }
}
