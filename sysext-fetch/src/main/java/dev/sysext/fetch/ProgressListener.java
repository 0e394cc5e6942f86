package dev.sysext.fetch;

import java.net.URI;

/** Told how a download advances, for a progress bar. Called on the downloading thread. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = (url, bytesSoFar, totalBytes) -> { };

    /**
     * @param url the URL as requested by the caller (before rewriting)
     * @param bytesSoFar bytes of the body received so far (including bytes kept from a resumed attempt)
     * @param totalBytes the full size when the server announced it, else {@code -1}
     */
    void progress(URI url, long bytesSoFar, long totalBytes);
}
