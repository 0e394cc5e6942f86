package dev.sysext.erofs;

import java.util.Locale;

/**
 * How file content is compressed: the algorithm, its level and the physical cluster size, as
 * {@code mkfs.erofs -z ALGORITHM[,LEVEL] -C SIZE} names them.
 *
 * @param algorithm the compressor
 * @param level the compression level (lz4hc: 1..12); 0 for none and lz4
 * @param clusterSize the largest physical cluster in bytes: a multiple of 4096 up to 1 MiB
 */
public record ErofsCompression(Algorithm algorithm, int level, int clusterSize) {

    /** The compressors {@code mkfs.erofs} 1.5 knows, and none. */
    public enum Algorithm {
        NONE, LZ4, LZ4HC
    }

    /** No compression: every file is stored in plain blocks with its tail inline. */
    public static final ErofsCompression NONE = new ErofsCompression(Algorithm.NONE, 0, 4096);

    /** What the Flatcar sysext-bakery uses: {@code -zlz4hc,12 -C65536}. */
    public static final ErofsCompression BAKERY = new ErofsCompression(Algorithm.LZ4HC, 12, 65536);

    public ErofsCompression {
        if (algorithm == null) {
            throw new IllegalArgumentException("no compression algorithm given");
        }
        if (clusterSize < 4096 || clusterSize > 1 << 20 || clusterSize % 4096 != 0) {
            throw new IllegalArgumentException("cluster size " + clusterSize + " is not a multiple of 4096 from 4096 to 1 MiB");
        }
        if (algorithm == Algorithm.LZ4HC ? level < 1 || level > 12 : level != 0) {
            throw new IllegalArgumentException("level " + level + " does not fit " + algorithm.name().toLowerCase(Locale.ROOT)
                    + (algorithm == Algorithm.LZ4HC ? " (1..12)" : " (it has no levels)"));
        }
    }

    /**
     * Parses {@code none}, {@code lz4}, {@code lz4hc} or {@code lz4hc,LEVEL} (lz4hc's default level
     * is 9, as in mkfs.erofs).
     *
     * @throws IllegalArgumentException for anything else, naming the text
     */
    public static ErofsCompression parse(String text, int clusterSize) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String name = t;
        Integer level = null;
        int comma = t.indexOf(',');
        if (comma >= 0) {
            name = t.substring(0, comma);
            try {
                level = Integer.parseInt(t.substring(comma + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("compression '" + text + "': the level is not a number");
            }
        }
        Algorithm a = switch (name) {
            case "none" -> Algorithm.NONE;
            case "lz4" -> Algorithm.LZ4;
            case "lz4hc" -> Algorithm.LZ4HC;
            default -> throw new IllegalArgumentException("compression '" + text + "': not none, lz4 or lz4hc[,LEVEL]");
        };
        if (level != null && a != Algorithm.LZ4HC) {
            throw new IllegalArgumentException("compression '" + text + "': only lz4hc takes a level");
        }
        return new ErofsCompression(a, level != null ? level : a == Algorithm.LZ4HC ? 9 : 0, clusterSize);
    }

    @Override
    public String toString() {
        return algorithm.name().toLowerCase(Locale.ROOT) + (algorithm == Algorithm.LZ4HC ? "," + level : "")
                + (algorithm == Algorithm.NONE ? "" : " cluster " + clusterSize);
    }
}
