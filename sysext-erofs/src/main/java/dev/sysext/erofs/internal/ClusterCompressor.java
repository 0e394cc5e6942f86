package dev.sysext.erofs.internal;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Compresses file content into physical clusters of at most {@code clusterSize} bytes, the way
 * EROFS stores it: each cluster holds as much input as fits (liblz4's "destination size" mode,
 * which mkfs.erofs uses and lz4-java does not offer).
 *
 * <p>How: compress a little more input than the cluster should hold (a guess from the previous
 * cluster's ratio), then cut the compressed block after the last sequence that leaves room, and end
 * it with one literal run that fills the cluster to the byte. The sequences kept decode to a prefix
 * of the input whatever parser made them, so the cut block is valid LZ4; the literal run is at
 * least 12 bytes long, which keeps the block-end rules (last 5 bytes literals, no match starting
 * in the last 12) that the kernel's full decoder checks. One compression per cluster, plus the
 * overshoot, instead of a search; the result depends only on the file's content.
 */
final class ClusterCompressor {
    /** The final literal run is never shorter: LZ4's MFLIMIT. */
    private static final int MIN_LAST_LITERALS = 12;

    private final LZ4Compressor lz4;
    final int clusterSize;
    final int maxInput;
    private byte[] out;
    private final byte[] cut;
    private double ratio;

    /** One cluster: how much input it holds and its compressed bytes ({@code length} of {@code data}). */
    record Result(int inputLength, byte[] data, int length) {
    }

    /**
     * One physical cluster of a segment, ready to write: {@code data} fills {@code blocks} blocks
     * (compressed bytes at the end, after zero padding; plain bytes at the start).
     *
     * @param start the file offset of the extent's first byte
     * @param length the extent's length in the file
     * @param payload the bytes that matter: compressed bytes at the end of {@code data}, or plain
     *     bytes at its start
     */
    record Cluster(long start, int length, boolean plain, byte[] data, int blocks, int payload) {
        /** The payload without padding, as it is stored when packed after the inode. */
        byte[] payloadBytes() {
            return plain ? java.util.Arrays.copyOf(data, payload)
                    : java.util.Arrays.copyOfRange(data, data.length - payload, data.length);
        }
    }

    /**
     * Compresses one segment of a file into clusters. Each segment starts afresh (ratio guess, no
     * reference to earlier data), so a file's clusters depend only on its content and the segment
     * size, never on how many threads compress segments at once. A cluster that saves no block is
     * stored plain, in extents that end at lcluster edges (the kernel maps a lookup in a following
     * NONHEAD lcluster to the whole of it, which a plain block cannot hold, and one lcluster holds
     * one head at most).
     *
     * @param base the segment's offset in the file (a multiple of 4096)
     * @param fileEnd whether the segment ends the file
     * @param packBudget how many bytes the file's last extent may take to be packed after the
     *     inode (0: never); such an extent has {@code blocks} 0
     */
    java.util.List<Cluster> compressSegment(byte[] seg, long base, boolean fileEnd, int packBudget) {
        reset();
        java.util.List<Cluster> clusters = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < seg.length) {
            int avail = Math.min(maxInput, seg.length - pos);
            Result r = next(seg, pos, avail, clusterSize);
            int blocks = (r.length() + Format.BLOCK - 1) / Format.BLOCK;
            if (fileEnd && r.inputLength() == seg.length - pos && packBudget > 0) {
                if (r.length() <= packBudget) {
                    // The file's last extent, small enough to pack after the inode (ztailpacking):
                    // compressed even when that saves nothing, since a plain one must not cross an
                    // lcluster edge.
                    byte[] data = java.util.Arrays.copyOf(r.data(), r.length());
                    clusters.add(new Cluster(base + pos, r.inputLength(), false, data, 0, r.length()));
                    break;
                }
                int whole = r.length() / Format.BLOCK;
                if (whole > 0) {
                    // Fill whole blocks exactly and leave the rest for a packed tail, as mkfs.erofs
                    // -Eztailpacking does, instead of a last block only partly used.
                    Result h = shrink(seg, pos, r, whole * Format.BLOCK);
                    if (h.inputLength() > whole * Format.BLOCK) {
                        byte[] data = new byte[whole * Format.BLOCK];
                        System.arraycopy(h.data(), 0, data, data.length - h.length(), h.length());
                        clusters.add(new Cluster(base + pos, h.inputLength(), false, data, whole, h.length()));
                        pos += h.inputLength();
                        continue;
                    }
                }
            }
            // A file's last bytes, crossing an lcluster edge, would take two plain blocks: one
            // compressed block holds them whether or not it saves anything.
            boolean straddlingEnd = fileEnd && r.inputLength() == seg.length - pos && blocks == 1
                    && (base + pos) % Format.BLOCK + r.inputLength() > Format.BLOCK;
            if (r.inputLength() > blocks * Format.BLOCK || straddlingEnd) {
                byte[] data = new byte[blocks * Format.BLOCK];
                // ZERO_PADDING: the compressed bytes end the cluster; the kernel skips the leading zeros.
                System.arraycopy(r.data(), 0, data, data.length - r.length(), r.length());
                clusters.add(new Cluster(base + pos, r.inputLength(), false, data, blocks, r.length()));
                pos += r.inputLength();
            } else {
                long runEnd = Math.max(((base + pos) / Format.BLOCK + 1) * Format.BLOCK,
                        (base + pos + r.inputLength()) / Format.BLOCK * Format.BLOCK);
                int plainEnd = (int) (Math.min(base + seg.length, runEnd) - base);
                while (pos < plainEnd) {
                    int len = Math.min(Format.BLOCK - (int) ((base + pos) % Format.BLOCK), plainEnd - pos);
                    byte[] data = new byte[Format.BLOCK];
                    System.arraycopy(seg, pos, data, 0, len);
                    clusters.add(new Cluster(base + pos, len, true, data, 1, len));
                    pos += len;
                }
            }
        }
        return clusters;
    }

    ClusterCompressor(boolean highCompression, int level, int clusterSize) {
        LZ4Factory f = factory();
        this.lz4 = highCompression ? f.highCompressor(level) : f.fastCompressor();
        this.clusterSize = clusterSize;
        // The kernel decompresses up to 12 MiB per cluster; a smaller cap bounds the window in memory.
        this.maxInput = Math.min(1 << 20, clusterSize * 16);
        this.out = new byte[lz4.maxCompressedLength(maxInput)];
        this.cut = new byte[clusterSize];
        reset();
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

    /** The longest prefix of {@code in[off, off + available)} whose LZ4 block fits in {@code limit} bytes. */
    Result next(byte[] in, int off, int available, int limit) {
        int window = (int) Math.min(available, Math.max(limit, limit / ratio * 1.1));
        while (true) {
            int size = lz4.compress(in, off, window, out, 0, out.length);
            if (size <= limit) {
                if (window == available) {
                    ratio = Math.max(0.001, (double) size / window);
                    return new Result(window, out, size);
                }
                // All of it fits: look further, as far as this window's ratio says the cluster reaches.
                window = (int) Math.min(available, Math.max(window + 4096L, (long) (window * 1.1 * limit / Math.max(1, size))));
                continue;
            }
            Result r = cutToCluster(in, off, window, size, limit);
            ratio = Math.max(0.001, (double) r.length() / r.inputLength());
            return r;
        }
    }

    /**
     * Cuts the block {@link #next} just returned for all of its input (still in the output buffer)
     * down to {@code limit} bytes, without compressing again.
     */
    private Result shrink(byte[] in, int off, Result all, int limit) {
        if (all.data() != out) {
            throw new IllegalStateException("shrink needs the block next() left in the output buffer");
        }
        return cutToCluster(in, off, all.inputLength(), all.length(), limit);
    }

    /** Keeps the sequences that leave room for a final literal run, and fills the rest with literals. */
    private Result cutToCluster(byte[] in, int off, int window, int size, int limit) {
        int bestSeqEnd = 0;
        int bestInput = 0;
        int bestEnd = lastLiterals(limit, window);
        int o = 0;
        int p = 0;
        while (o < size) {
            int token = out[o++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    b = out[o++] & 0xFF;
                    lit += b;
                } while (b == 255);
            }
            o += lit;
            p += lit;
            if (o >= size) {
                break; // the block's own last run: only literals
            }
            o += 2;
            int match = token & 15;
            if (match == 15) {
                int b;
                do {
                    b = out[o++] & 0xFF;
                    match += b;
                } while (b == 255);
            }
            p += match + 4;
            if (o > limit) {
                break;
            }
            int literals = lastLiterals(limit - o, window - p);
            if (literals >= MIN_LAST_LITERALS && p + literals > bestEnd) {
                bestSeqEnd = o;
                bestInput = p;
                bestEnd = p + literals;
            }
        }
        System.arraycopy(out, 0, cut, 0, bestSeqEnd);
        int literals = bestEnd - bestInput;
        int c = bestSeqEnd;
        if (literals >= 15) {
            cut[c++] = (byte) 0xF0;
            int rest = literals - 15;
            while (rest >= 255) {
                cut[c++] = (byte) 255;
                rest -= 255;
            }
            cut[c++] = (byte) rest;
        } else {
            cut[c++] = (byte) (literals << 4);
        }
        System.arraycopy(in, off + bestInput, cut, c, literals);
        c += literals;
        return new Result(bestEnd, cut, c);
    }

    /** How many literals a final run can hold in {@code room} output bytes, at most {@code input}. */
    private static int lastLiterals(int room, int input) {
        if (room <= 1) {
            return 0;
        }
        int n = Math.min(input, room - 1);
        while (n > 0 && 1 + n + (n >= 15 ? (n - 15) / 255 + 1 : 0) > room) {
            n--;
        }
        return n;
    }
}
