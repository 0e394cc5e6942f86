package dev.sysext.cli;

import java.io.PrintWriter;

/**
 * One line of stderr redrawn in place ({@code \r} and erase-to-end-of-line) for progress bars. Only
 * used when stderr is a terminal; redraws are throttled so a fast download does not flood it.
 * Thread-safe: downloads draw from their own threads, the image writer from the command's.
 */
final class LiveLine {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final String ERASE_TO_END = "\u001b[K";

    private final PrintWriter err;
    private boolean shown;
    private long lastDraw = Long.MIN_VALUE;

    LiveLine(PrintWriter err) {
        this.err = err;
    }

    /** Shows {@code text}, unless the last redraw was too recent and {@code force} is false. */
    synchronized void show(String text, boolean force) {
        long now = System.nanoTime();
        if (!force && shown && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        err.print("\r" + text + ERASE_TO_END);
        err.flush();
        shown = true;
    }

    /** Removes the line, so that ordinary lines can follow. */
    synchronized void clear() {
        if (shown) {
            err.print("\r" + ERASE_TO_END);
            err.flush();
            shown = false;
        }
    }

    /** Prints an ordinary line above the live one. */
    synchronized void println(String line) {
        boolean wasShown = shown;
        clear();
        err.println(line);
        err.flush();
        if (wasShown) {
            lastDraw = Long.MIN_VALUE; // redraw on the next update
        }
    }
}
