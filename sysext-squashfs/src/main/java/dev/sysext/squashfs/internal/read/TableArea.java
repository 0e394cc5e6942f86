package dev.sysext.squashfs.internal.read;

/**
 * A run of metadata blocks in the image, {@code [start, end)} in absolute byte offsets. References
 * into the area are relative to {@code start}; nothing is read past {@code end}.
 */
record TableArea(String name, long start, long end) {
}
