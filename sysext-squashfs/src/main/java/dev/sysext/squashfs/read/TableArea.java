package dev.sysext.squashfs.read;

/**
 * A run of metadata blocks in the image, {@code [start, end)} in absolute byte offsets. References
 * into the area are relative to {@code start}; nothing is read past {@code end}.
 */
public record TableArea(String name, long start, long end) {
}
