/**
 * The entries of a sysext image, whatever its file system. {@link dev.sysext.entry.EntryWriter} is
 * what the SquashFS writer (sysext-squashfs) and the EROFS writer (sysext-erofs) take, entry by
 * entry, with an {@link dev.sysext.entry.EntryMetadata} each; {@link dev.sysext.entry.ImageEntry}
 * is what their readers give back. Code that lays out an image tree, or checks one, works on these
 * and need not know the format.
 *
 * <pre>{@code
 * void addTool(EntryWriter w, Path tool, long mtime) throws IOException {
 *     EntryMetadata dir = EntryMetadata.of(0755, 0, 0, mtime);
 *     w.directory("usr/bin", dir);
 *     w.file("usr/bin/tool", dir, tool);
 * }
 * }</pre>
 *
 * <p>Everything under {@code dev.sysext.entry.internal} is the implementation and not exported.
 */
package dev.sysext.entry;
