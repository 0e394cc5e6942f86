package dev.sysext.erofs.internal;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;

/**
 * Compresses file content into physical clusters of at most {@code clusterSize} bytes, the way
 * EROFS stores it: each cluster holds as much input as fits (the LZ4 "destination size" mode that
 * mkfs.erofs uses). lz4-java has no such mode, so the input length is searched: a first guess from
 * the ratio of the previous cluster, then secant steps up and halving steps down, each try
 * compressing with the output limited to the cluster (liblz4 gives up as soon as it overflows, so a
 * miss costs less than a hit). The search stops when the largest fitting length is known to within
 * {@link #GRANULARITY} input bytes; the result depends only on the input, never on timing.
 */
final class ClusterCompressor {
    /** Input bytes the search resolves: a few dozen output bytes of a 64 KiB cluster. */
    static final int GRANULARITY = 64;

    private final LZ4Compressor lz4;
    final int clusterSize;
    final int maxInput;
    private final byte[] out;
    private final byte[] best;
    private double ratio = 0.5;

    /** One cluster: how much input it holds and its compressed bytes ({@code length} of {@code data}). */
    record Result(int inputLength, byte[] data, int length) {
    }

    ClusterCompressor(boolean highCompression, int level, int clusterSize) {
        LZ4Factory f = factory();
        this.lz4 = highCompression ? f.highCompressor(level) : f.fastCompressor();
        this.clusterSize = clusterSize;
        // The kernel decompresses up to 12 MiB per cluster; a smaller cap bounds the window in memory.
        this.maxInput = Math.min(1 << 20, clusterSize * 16);
        this.out = new byte[clusterSize];
        this.best = new byte[clusterSize];
    }

    private static LZ4Factory factory() {
        try {
            return LZ4Factory.nativeInstance();
        } catch (Throwable t) {
            return LZ4Factory.fastestJavaInstance();
        }
    }

    /** Starts a new file: the first guess must not depend on what was compressed before. */
    void reset() {
        ratio = 0.5;
    }

    /** The compressed size of {@code len} bytes, or -1 when they do not fit in a cluster. */
    private int tryCompress(byte[] in, int off, int len) {
        try {
            return lz4.compress(in, off, len, out, 0, clusterSize);
        } catch (LZ4Exception e) {
            return -1;
        }
    }

    /**
     * The longest prefix of {@code in[off, off + available)} (to within {@link #GRANULARITY}) whose
     * compressed form fits in a cluster; {@code available <= maxInput}.
     */
    Result next(byte[] in, int off, int available) {
        int lo = 0;
        int loSize = -1;
        int hi = available + 1;
        int guess = (int) Math.min(available, Math.max(GRANULARITY, clusterSize / ratio * 0.97));
        while (hi - lo > GRANULARITY || loSize < 0) {
            if (guess <= lo || guess >= hi) {
                guess = lo + (hi - lo) / 2;
            }
            if (guess == 0) {
                guess = 1;
            }
            int cs = tryCompress(in, off, guess);
            if (cs >= 0) {
                lo = guess;
                loSize = cs;
                System.arraycopy(out, 0, best, 0, cs);
                if (guess == available) {
                    break;
                }
                // Secant step: the output left over, at this cluster's ratio, a little short of it.
                double r = (double) cs / guess;
                guess = (int) Math.min(hi - 1, guess + Math.max(GRANULARITY, (clusterSize - cs) / r * 0.9));
            } else {
                hi = guess;
                guess = lo + (hi - lo) / 2;
            }
            if (hi - lo <= 1) {
                break;
            }
        }
        ratio = Math.max(0.001, (double) loSize / lo);
        return new Result(lo, best, loSize);
    }
}
