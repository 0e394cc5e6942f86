/**
 * EROFS images for systemd-sysext: {@link dev.sysext.erofs.ErofsWriter} streams a directory, a
 * tar archive or entries given one by one into an image the Linux kernel mounts, with the same
 * bytes for the same input; {@link dev.sysext.erofs.ErofsImage} reads one back as a
 * {@link dev.sysext.entry.ImageReader} (entries, content, listing, extraction).
 *
 * <pre>{@code
 * ErofsOptions options = ErofsOptions.of(1700000000L).withAllRoot(true);
 * try (ErofsWriter w = ErofsWriter.create(Path.of("ext.raw"), options)) {
 *     w.addTree(Path.of("rootfs"));
 *     w.finish();
 * }
 * }</pre>
 *
 * <p>Entries carry the {@link dev.sysext.entry.EntryMetadata} of the entry module (sysext-entry),
 * shared with the SquashFS writer, so that one tree can be written in either format.
 */
package dev.sysext.erofs;
