package dev.sysext.cli;

import dev.sysext.fetch.ProgressListener;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A download as a live bar: file name, bytes, rate and time left. */
final class DownloadBar implements ProgressListener {
    private static final int WIDTH = 24;

    private final LiveLine line;
    private final Map<URI, long[]> starts = new HashMap<>();

    DownloadBar(LiveLine line) {
        this.line = line;
    }

    @Override
    public synchronized void progress(URI url, long bytesSoFar, long totalBytes) {
        long now = System.nanoTime();
        // {time, bytes} of the first report: a resumed download's kept bytes do not count towards the rate
        long[] start = starts.computeIfAbsent(url, u -> new long[] {now, bytesSoFar});
        double seconds = (now - start[0]) / 1e9;
        double rate = seconds > 0.2 ? (bytesSoFar - start[1]) / seconds : 0;
        String path = url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        StringBuilder b = new StringBuilder(name).append("  ");
        boolean done = totalBytes > 0 && bytesSoFar >= totalBytes;
        if (totalBytes > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, (double) bytesSoFar / totalBytes));
            b.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(Sizes.bytes(bytesSoFar)).append(" / ").append(Sizes.bytes(totalBytes));
        } else {
            b.append(Sizes.bytes(bytesSoFar));
        }
        if (rate > 0) {
            b.append("  ").append(Sizes.bytes((long) rate)).append("/s");
            if (totalBytes > 0 && !done) {
                b.append("  ETA ").append(Sizes.duration((long) Math.ceil((totalBytes - bytesSoFar) / rate)));
            }
        }
        line.show(b.toString(), done);
        if (done) {
            line.println(String.format(Locale.ROOT, "downloaded %s (%s)", name, Sizes.bytes(totalBytes)));
        }
    }
}
