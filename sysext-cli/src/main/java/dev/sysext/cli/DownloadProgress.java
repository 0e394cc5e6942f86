package dev.sysext.cli;

import dev.sysext.fetch.ProgressListener;
import java.io.PrintWriter;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/** Tells the user, on stderr, which large downloads are under way (one line per URL). */
final class DownloadProgress implements ProgressListener {
    private final PrintWriter err;
    private final Set<URI> announced = new HashSet<>();

    DownloadProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void progress(URI url, long bytesSoFar, long totalBytes) {
        if (announced.add(url)) {
            err.println("downloading " + url + (totalBytes > 0 ? " (" + size(totalBytes) + ")" : ""));
            err.flush();
        }
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format("%.1f MiB", bytes / 1048576.0) : String.format("%.1f KiB", bytes / 1024.0);
    }
}
