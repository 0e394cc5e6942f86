package dev.sysext.squashfs;

/**
 * Learns how far a {@link SquashfsWriter} has come, for a progress display. Reporting never changes
 * the image: an image written with a listener is byte-for-byte the one written without.
 *
 * <p>Called after each regular file's content has been consumed: at once for content given as a
 * stream, during {@link SquashfsWriter#finish()} for content given as a path, and once more when
 * the image is complete, with {@code bytesOut} its final size. Calls come from the thread that
 * feeds (or finishes) the writer, never concurrently, and hold up writing while they run: keep them
 * cheap (throttle any drawing).
 */
@FunctionalInterface
public interface WriteProgress {
    /** Reports nothing. */
    WriteProgress NONE = (files, bytesIn, bytesOut) -> { };

    /**
     * The counts so far; none of them ever decreases.
     *
     * @param files regular files whose content has been consumed (hard links count once)
     * @param bytesIn bytes of file content consumed
     * @param bytesOut bytes written to the image file so far (data not yet compressed by a worker is
     *     not counted yet)
     */
    void progress(long files, long bytesIn, long bytesOut);
}
