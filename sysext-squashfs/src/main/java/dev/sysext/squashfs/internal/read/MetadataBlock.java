package dev.sysext.squashfs.internal.read;

/**
 * One decoded metadata block: its payload ({@code length} bytes of {@code data}) and where the next
 * block of the same table starts. {@code data} is shared through the cache and must not be modified.
 */
record MetadataBlock(long position, byte[] data, int length, long next) {
}
