package dev.sysext.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Progress of an image being written, measured from outside the writer: the SquashFS writer has no
 * progress callback, so a daemon thread watches the size of its temporary file
 * ({@code .NAME.raw.*.partial} beside the target). On a terminal that is a live line (bytes out,
 * rate); otherwise nothing (the command logs the finished image instead: a poll is not a step).
 */
final class ImageWriteProgress implements AutoCloseable {
    private static final long POLL_MILLIS = 200;

    private final Path directory;
    private final String prefix;
    private final LiveLine live;
    private final Thread poller;
    private volatile boolean closed;

    ImageWriteProgress(Path directory, String prefix, LiveLine live) {
        this.directory = directory;
        this.prefix = "." + prefix;
        this.live = live;
        this.poller = new Thread(this::poll, "sysext-image-progress");
        poller.setDaemon(true);
        if (live != null) {
            poller.start();
        }
    }

    private void poll() {
        long started = 0;
        while (!closed) {
            Optional<Path> partial = partialFile();
            if (partial.isPresent()) {
                long size;
                try {
                    size = Files.size(partial.get());
                } catch (IOException e) {
                    size = -1; // renamed into place meanwhile
                }
                if (started == 0) {
                    started = System.nanoTime();
                }
                if (size >= 0) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    live.show(target(partial.get()) + "  " + Sizes.bytes(size) + " written"
                            + (seconds > 0.5 ? "  " + Sizes.bytes((long) (size / seconds)) + "/s" : ""), false);
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** {@code .containerd-2.2.0-x86-64.raw.123.partial} → {@code containerd-2.2.0-x86-64.raw}. */
    private static String target(Path partial) {
        String n = partial.getFileName().toString();
        int raw = n.lastIndexOf(".raw.");
        return raw > 0 ? n.substring(1, raw + 4) : n.substring(1, n.length() - ".partial".length());
    }

    private Optional<Path> partialFile() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".partial");
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (live == null) {
            return;
        }
        poller.interrupt();
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.clear();
    }
}
