package dev.sysext.cli;

import dev.sysext.fetch.ProgressListener;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Downloads as plain log lines: one when a download starts, one when it completes (verbose). */
final class DownloadLog implements ProgressListener {
    private final StatusOutput status;
    private final Map<URI, Long> started = new HashMap<>();

    DownloadLog(StatusOutput status) {
        this.status = status;
    }

    @Override
    public synchronized void progress(URI url, long bytesSoFar, long totalBytes) {
        if (!started.containsKey(url)) {
            started.put(url, System.nanoTime());
            status.step("downloading " + url + (totalBytes > 0 ? " (" + Sizes.bytes(totalBytes) + ")" : ""));
        }
        if (totalBytes > 0 && bytesSoFar == totalBytes) {
            Long t0 = started.get(url);
            if (t0 != null && t0 != Long.MIN_VALUE) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                status.detail("downloaded " + url + " (" + Sizes.bytes(totalBytes) + " in " + ms + " ms)");
                started.put(url, Long.MIN_VALUE);
            }
        }
    }
}
