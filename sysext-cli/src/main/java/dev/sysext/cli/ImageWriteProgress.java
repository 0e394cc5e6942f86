package dev.sysext.cli;

import dev.sysext.squashfs.WriteProgress;
import dev.sysext.verify.ImageStatistics;

/**
 * Progress of an image being written, as the SquashFS writer reports it: on a terminal a live line
 * (files, bytes in, bytes out, rate of bytes in); otherwise nothing (the command logs the finished
 * image instead: a file is not a step).
 */
final class ImageWriteProgress implements WriteProgress, AutoCloseable {
    /** The writer calls after every file: build the line only as often as the live line redraws. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final LiveLine live;
    private long started;
    private long lastDraw;
    private ImageStatistics last = new ImageStatistics(0, 0, 0);

    /** {@code live} is null when progress is not drawn. */
    ImageWriteProgress(String label, LiveLine live) {
        this.label = label;
        this.live = live;
    }

    @Override
    public void progress(long files, long bytesIn, long bytesOut) {
        last = new ImageStatistics(files, bytesIn, bytesOut);
        if (live == null) {
            return;
        }
        long now = System.nanoTime();
        if (started == 0) {
            started = now;
        } else if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = (now - started) / 1e9;
        live.show(label + "  " + files + (files == 1 ? " file  " : " files  ") + Sizes.bytes(bytesIn) + " in  "
                + Sizes.bytes(bytesOut) + " out"
                + (seconds > 0.5 ? "  " + Sizes.bytes((long) (bytesIn / seconds)) + "/s" : ""), true);
    }

    /** The writer's last report: once it finished, the image's files, bytes in and size. */
    ImageStatistics last() {
        return last;
    }

    /** Removes the live line once the writer is done. */
    @Override
    public void close() {
        if (live != null) {
            live.clear();
        }
    }
}
