package dev.sysext.entry;

/**
 * How {@link ImageReader#extract(java.nio.file.Path, ImageExtractOptions)} writes a tree.
 *
 * @param xattrs restore {@code user.*} xattrs (other namespaces cannot be set from Java and are reported as skipped)
 * @param force extract into a destination that already has content, replacing entries in the way
 * @param owners set uids and gids (needs root); otherwise files belong to the caller
 */
public record ImageExtractOptions(boolean xattrs, boolean force, boolean owners) {
    /** Xattrs on, no overwriting, owners when running as root. */
    public static ImageExtractOptions defaults() {
        return new ImageExtractOptions(true, false, isRoot());
    }

    /** Whether this process runs as root (Linux: {@code /proc/self} belongs to the effective uid). */
    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
        } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
