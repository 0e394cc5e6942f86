package dev.sysext.squashfs;

import dev.sysext.entry.EntryMetadata;
import java.nio.file.Path;

/**
 * Run in a child JVM with a small heap by {@link WriterMemoryTest}: streams three 1 GiB files (the
 * third a copy of the first) into an lz4 image with 1 MiB blocks on two workers.
 */
final class LargeStreamImage {
    static final long FILE_SIZE = 1L << 30;

    private LargeStreamImage() {
    }

    public static void main(String[] args) throws Exception {
        WriterOptions options = WriterOptions.builder().compression(Compression.LZ4).blockSize(1 << 20).workers(2)
                .mkfsTime(1).build();
        try (SquashfsWriter w = SquashfsWriter.create(Path.of(args[0]), options)) {
            EntryMetadata meta = EntryMetadata.of(0644, 0, 0, 1);
            long[] seeds = {1, 2, 1};
            for (int i = 0; i < seeds.length; i++) {
                w.file("file-" + i, meta, new GeneratedContent(seeds[i], FILE_SIZE), FILE_SIZE);
            }
            w.finish();
        }
    }
}
