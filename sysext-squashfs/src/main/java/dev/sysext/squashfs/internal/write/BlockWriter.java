package dev.sysext.squashfs.internal.write;

import java.io.IOException;

/** Lays compressed blocks out in the image one after the other, in the order it is handed them. */
final class BlockWriter {
    private final ImageOutput out;

    BlockWriter(ImageOutput out) {
        this.out = out;
    }

    void place(BlockJob job, CompressedBlock block) throws IOException {
        long location = out.position();
        if (block.length() > 0) {
            out.append(block.bytes(), 0, block.length());
        }
        job.placement().placed(location, block.sizeWord());
    }
}
