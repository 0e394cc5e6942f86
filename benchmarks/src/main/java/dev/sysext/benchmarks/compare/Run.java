package dev.sysext.benchmarks.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One measured run of one tool, as the comparison script records it: a tab-separated line
 * {@code case processors tool round exit-status image-bytes time-report-file}.
 *
 * @param caseName the compressor setting and tree, e.g. {@code gzip-9} or {@code dup-gzip-9}
 * @param processors the worker thread count both tools were given
 * @param tool {@code mksquashfs}, {@code mkfs.erofs} or {@code sysext}
 * @param round 1-based round number
 * @param exitStatus the tool's exit status
 * @param imageBytes the image file's size
 * @param time what {@code time -v} reported
 */
public record Run(String caseName, int processors, String tool, int round, int exitStatus, long imageBytes,
        TimeReport time) {

    /** The tool all others are compared with in the SquashFS comparison ({@code compare.sh}). */
    public static final String REFERENCE_TOOL = "mksquashfs";

    /** The tool all others are compared with in the EROFS comparison ({@code erofs-compare.sh}). */
    public static final String EROFS_REFERENCE_TOOL = "mkfs.erofs";

    /** Whether {@code tool} is one of the reference tools, which the others are compared with. */
    public static boolean isReference(String tool) {
        return tool.equals(REFERENCE_TOOL) || tool.equals(EROFS_REFERENCE_TOOL);
    }

    /** Parses one line; the time report file is resolved against {@code dir}. */
    public static Run parse(String line, Path dir) throws IOException {
        String[] f = line.split("\t", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("expected 7 tab-separated fields, found " + f.length);
        }
        try {
            Path timeFile = dir.resolve(f[6]);
            return new Run(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Long.parseLong(f[5]), TimeReport.parse(Files.readAllLines(timeFile)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number field is not a number: " + e.getMessage(), e);
        }
    }

    /** Whether the tool exited with status 0. */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
