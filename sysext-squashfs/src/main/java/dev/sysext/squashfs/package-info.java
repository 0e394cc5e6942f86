/**
 * SquashFS 4.0 images: {@link dev.sysext.squashfs.SquashfsWriter} writes them deterministically
 * (from entries, a directory with {@link dev.sysext.entry.DirectorySource} or a tar archive with
 * {@link dev.sysext.entry.TarSource}, both of the entry module sysext-entry, which also feed the
 * EROFS writer), {@link dev.sysext.squashfs.SquashfsImage} reads, lists,
 * extracts and verifies them. {@link dev.sysext.squashfs.CompressorConfig} is the one description
 * of a compressor and its settings, for writing and as read from an image.
 *
 * <pre>{@code
 * WriterOptions options = WriterOptions.builder().compressor(new CompressorConfig.Zstd(19)).build();
 * try (SquashfsWriter w = SquashfsWriter.create(Path.of("ext.raw"), options)) {
 *     DirectorySource.addTree(w, Path.of("rootfs"), true);
 *     w.finish(); // without it, close() discards the image and throws
 * }
 * try (SquashfsImage image = SquashfsImage.open(Path.of("ext.raw"))) {
 *     CompressorConfig c = image.info().compressor(); // Zstd[level=19]
 * }
 * }</pre>
 *
 * <p>Everything under {@code dev.sysext.squashfs.internal} is the implementation and not exported.
 */
package dev.sysext.squashfs;

import dev.sysext.entry.DirectorySource;
