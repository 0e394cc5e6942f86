package dev.sysext.erofs.internal;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Compresses file content into physical clusters of at most {@code clusterSize} bytes, the way
 * EROFS stores it: each cluster holds as much input as fits (liblz4's "destination size" mode,
 * which mkfs.erofs uses and lz4-java does not offer).
 *
 * <p>How: compress a little more input than the cluster should hold (a guess from a fast lz4 pass
 * over the input, see {@link #next}), then cut the compressed block after the last sequence that
 * leaves room, and end it with one literal run that fills the cluster to the byte. The sequences
 * kept decode to a prefix of the input whatever parser made them, so the cut block is valid LZ4;
 * the literal run is at least 12 bytes long, which keeps the block-end rules (last 5 bytes
 * literals, no match starting in the last 12) that the kernel's full decoder checks. About one
 * compression per cluster instead of a search; the result depends only on the segment's content.
 */
final class ClusterCompressor {
    /** The final literal run is never shorter: LZ4's MFLIMIT. */
    private static final int MIN_LAST_LITERALS = 12;

    private final LZ4Compressor lz4;
    /** lz4hc only: the fast compressor whose output profiles the input (null: no profile). */
    private final LZ4Compressor profiler;
    private final byte[] profile;
    /** How much input the current profile covers. */
    private int profiled;
    /** The current profile's length in {@link #profile}. */
    private int profileSize;
    /** lz4hc's output size over the profile's on the last cluster. */
    private double scale;
    final int clusterSize;
    final int maxInput;
    /** Without a profile, the first chunk of a cluster aims at this share of what the last cluster's ratio says fits. */
    private static final double FIRST_AIM = 0.97;
    /** With a profile, the first chunk takes this much more input than the profile says fits. */
    private static final double PROFILE_MARGIN = 1.05;
    /** lz4hc's output over fast lz4's on the same input, before a segment's first cluster tells. */
    private static final double FIRST_SCALE = 0.85;
    /** Later chunks aim past the room left: an overflow costs only their own short input. */
    private static final double LATER_AIM = 1.25;
    /** Smaller chunks are not worth a call (and carry few matches). */
    private static final int MIN_CHUNK = 256;
    /** Input bytes given to the main compressor so far: what the tests hold the waste against. */
    long compressedInput;
    /** The chunks of the cluster being built, one after the other. */
    private final byte[] asm;
    /*
     * lz4-java's native compressors pin heap arrays (JNI critical regions) for the whole call, and
     * the JVM does not collect while an array is pinned: with a thread always inside lz4hc, the
     * heap grew instead (peak RSS 315 MiB with 2 threads on the benchmark corpus, 74 MiB with 1).
     * Direct buffers are not pinned; copying the segment in and each block out costs little.
     */
    private ByteBuffer source = ByteBuffer.allocateDirect(0);
    /** The array whose bytes {@link #source} holds. */
    private byte[] loaded;
    private final ByteBuffer blockOut;
    private final ByteBuffer profileOut;
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
        this.profiler = highCompression ? f.fastCompressor() : null;
        this.clusterSize = clusterSize;
        // The kernel decompresses up to 12 MiB per cluster; a smaller cap bounds the window in memory.
        this.maxInput = Math.min(1 << 20, clusterSize * 16);
        this.asm = new byte[clusterSize + lz4.maxCompressedLength(maxInput)];
        this.profile = profiler == null ? null : new byte[profiler.maxCompressedLength(maxInput)];
        this.blockOut = ByteBuffer.allocateDirect(asm.length);
        this.profileOut = profiler == null ? null : ByteBuffer.allocateDirect(profile.length);
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
        scale = FIRST_SCALE;
        loaded = null;
    }

    /**
     * A prefix of {@code in[off, off + available)} whose LZ4 block fits in {@code limit} bytes, as
     * long as this finds it.
     *
     * <p>liblz4's "destination size" mode stops compressing when the output is full; lz4-java
     * compresses all the input it is given, so input compressed past the cut is work thrown away.
     * Guessing from the last cluster's ratio, with a 10 % margin and a second, larger compression
     * when the guess fell short, compressed 39 % more input than the clusters hold on the benchmark
     * corpus (benchmarks/erofs-compare.sh). Now: with lz4hc, a fast lz4 profile predicts the cut
     * ({@link #profiledWindow}) and the first chunk takes 5 % more than that, so most clusters
     * take one lz4hc call (6 % over, on the same corpus). When a chunk's block fits with room to
     * spare, its sequences up to its last match are kept (a concatenation of complete sequences is
     * valid LZ4: each match refers back by distance, into its own chunk) and the rest of the room is
     * filled by compressing on from the end of that match, the same way, instead of compressing
     * the whole cluster again; once a chunk overflows the room, the whole cluster is cut as before.
     * Matches cannot reach back across a chunk edge, which costs a little ratio where a later chunk
     * is needed (0.1 % more clusters' bytes on the benchmark corpus).
     */
    Result next(byte[] in, int off, int available, int limit) {
        int used = 0; // bytes of complete sequences (each ending with a match) already in asm
        int consumed = 0; // the input they decode to
        int minWindow = 0;
        boolean first = true;
        while (true) {
            int room = limit - used;
            int rest = available - consumed;
            // The first chunk aims a little short of the guess, so that it usually fits; the ones
            // after it fill a small room, where a generous guess costs little.
            double aim = first ? FIRST_AIM : LATER_AIM;
            int window = first && profiler != null ? profiledWindow(in, off, available, limit)
                    : (int) Math.min(rest, Math.max(minWindow, Math.max(MIN_CHUNK, room / ratio * aim)));
            int size = lz4.compress(load(in), off + consumed, window, blockOut, used, asm.length - used);
            blockOut.get(used, asm, used, size);
            compressedInput += window;
            int total = used + size;
            if (total > limit) {
                Result r = cutToCluster(asm, in, off, consumed + window, total, limit);
                learn(r.length(), r.inputLength());
                return r;
            }
            if (window == rest) {
                learn(total, available);
                return new Result(available, asm, total);
            }
            long last = lastMatchEnd(asm, used, total);
            int seqBytes = (int) (last >>> 32);
            int seqInput = (int) last;
            if (seqInput == 0) {
                // No match at all in this chunk: look at more input before keeping any of it.
                minWindow = (int) Math.min(rest, 2L * window + MIN_CHUNK);
            } else {
                used += seqBytes;
                consumed += seqInput;
                minWindow = 0;
            }
            first = false;
        }
    }

    /** {@code in} in a direct buffer, copied there unless it is already. */
    private ByteBuffer load(byte[] in) {
        if (in != loaded) {
            if (source.capacity() < in.length) {
                source = ByteBuffer.allocateDirect(in.length);
            }
            source.put(0, in);
            loaded = in;
        }
        return source;
    }

    /** Takes the ratio and the profile scale of a finished cluster as the guesses for the next. */
    private void learn(int length, int input) {
        ratio = Math.max(0.001, (double) length / input);
        if (profiler != null && input <= profiled) {
            int fast = outputAt(profile, profileSize, input);
            if (fast > 0) {
                scale = (double) length / fast;
            }
        }
    }

    /**
     * How much input the first chunk of a cluster compresses, with lz4hc: fast lz4 (a small part of
     * lz4hc's cost) compresses twice the input the last cluster's ratio says fits; the point where
     * its output, times lz4hc's size over fast lz4's on the last cluster, reaches the limit
     * predicts lz4hc's cut about four times as closely as the ratio alone (half of the clusters
     * within 2 % on the benchmark corpus, against 8 %). A small margin past it makes the first
     * chunk overflow, and be cut, most of the time; when it falls short, later chunks fill the rest.
     */
    private int profiledWindow(byte[] in, int off, int available, int limit) {
        int span = (int) Math.min(available, Math.max(2L * limit, (long) (2 * limit / ratio)));
        int size = profiler.compress(load(in), off, span, profileOut, 0, profile.length);
        profileOut.get(0, profile, 0, size);
        profiled = span;
        profileSize = size;
        int predicted = inputAt(profile, size, limit / scale);
        if (predicted < 0) {
            return span;
        }
        return (int) Math.min(available, Math.max(MIN_CHUNK, predicted * PROFILE_MARGIN));
    }

    /** The input position where the LZ4 block {@code b[0, size)} has produced {@code target} bytes, or -1. */
    private static int inputAt(byte[] b, int size, double target) {
        Lz4Sequences s = new Lz4Sequences(b, 0, size);
        while (s.next()) {
            if (s.literalStart + s.literals >= target) {
                return s.literalInput() + (int) Math.max(0, target - s.literalStart);
            }
            if (s.end >= target) {
                return s.input;
            }
        }
        return -1;
    }

    /** How many bytes of the LZ4 block {@code b[0, size)} it takes to reach input position {@code pos}. */
    private static int outputAt(byte[] b, int size, int pos) {
        Lz4Sequences s = new Lz4Sequences(b, 0, size);
        while (s.input < pos && s.next()) {
            if (s.literalInput() + s.literals >= pos) {
                return s.literalStart + (pos - s.literalInput());
            }
        }
        return s.end;
    }

    /**
     * The end of the last sequence with a match in the LZ4 block {@code b[from, to)}: its offset
     * from {@code from} in the high 32 bits, the input it decodes to in the low 32 (0, 0 when the
     * block has no match).
     */
    private static long lastMatchEnd(byte[] b, int from, int to) {
        Lz4Sequences s = new Lz4Sequences(b, from, to);
        long best = 0;
        while (s.next() && s.match > 0) {
            best = (long) (s.end - from) << 32 | s.input;
        }
        return best;
    }

    /**
     * Cuts the block {@link #next} just returned for all of its input down to {@code limit} bytes,
     * without compressing again.
     */
    private Result shrink(byte[] in, int off, Result all, int limit) {
        return cutToCluster(all.data(), in, off, all.inputLength(), all.length(), limit);
    }

    /**
     * Keeps the sequences of the block {@code src[0, size)} that leave room for a final literal
     * run, and fills the rest with literals. {@code src} may be {@link #cut} itself: the kept
     * sequences stay where they are and the literals come from {@code in}.
     */
    private Result cutToCluster(byte[] src, byte[] in, int off, int window, int size, int limit) {
        int bestSeqEnd = 0;
        int bestInput = 0;
        int bestEnd = lastLiterals(limit, window);
        Lz4Sequences s = new Lz4Sequences(src, 0, size);
        // The block's own last run (no match) is never kept, nor a sequence past the limit.
        while (s.next() && s.match > 0 && s.end <= limit) {
            int literals = lastLiterals(limit - s.end, window - s.input);
            if (literals >= MIN_LAST_LITERALS && s.input + literals > bestEnd) {
                bestSeqEnd = s.end;
                bestInput = s.input;
                bestEnd = s.input + literals;
            }
        }
        System.arraycopy(src, 0, cut, 0, bestSeqEnd);
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

    /**
     * How many literals a final run can hold in {@code room} output bytes, at most {@code input}.
     * Called for every sequence of every cut: a closed form, not a count down (stepping down one
     * literal at a time from the whole room took a fifth of the compressing threads' time).
     */
    static int lastLiterals(int room, int input) {
        if (room <= 1 || input <= 0) {
            return 0;
        }
        int n = Math.min(input, room - 1);
        if (runCost(n) <= room) {
            return n;
        }
        // runCost(n) is 2 + n + (n - 15) / 255 from 15 on: start at the inverse and correct the rounding.
        n = Math.min(n, Math.max(0, room - 2 - (room - 17) / 256));
        while (n > 0 && runCost(n) > room) {
            n--;
        }
        while (n < input && runCost(n + 1) <= room) {
            n++;
        }
        return n;
    }

    /** The bytes a final run of {@code n} literals takes: token, length bytes, literals. */
    private static int runCost(int n) {
        return 1 + n + (n >= 15 ? (n - 15) / 255 + 1 : 0);
    }
}
