package dev.sysext.erofs;

/**
 * Decodes an lz4 block until the output is full, as the kernel's LZ4_decompress_safe_partial does
 * for EROFS clusters: images without lz4 zero padding store the compressed bytes at the start of the
 * physical cluster followed by garbage, so the input's end is not known and the output length
 * decides when to stop. lz4-java has no such mode. Every length and offset is checked; bad data gives
 * a {@link Problem}, never an index error.
 */
final class Lz4Block {
    /** A description of what is wrong with the compressed data. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /** Longer runs than this are no data this reader takes (and would overflow an int). */
    private static final int LIMIT = 1 << 30;

    private Lz4Block() {
    }

    /** Fills {@code out} completely from {@code in[from, to)}; the input may hold more than needed. */
    static void decode(byte[] in, int from, int to, byte[] out) throws Problem {
        int ip = from;
        int op = 0;
        int end = out.length;
        while (op < end) {
            if (ip >= to) {
                throw new Problem("the lz4 data ended after " + op + " of " + end + " bytes");
            }
            int token = in[ip++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    if (ip >= to) {
                        throw new Problem("the lz4 data ended in a literal length");
                    }
                    b = in[ip++] & 0xFF;
                    literals += b;
                } while (b == 255 && literals < LIMIT);
            }
            if (literals >= LIMIT) {
                throw new Problem("a run of " + literals + " literals");
            }
            int copy = Math.min(literals, end - op);
            if (copy > to - ip) {
                throw new Problem("a run of " + literals + " literals runs past the lz4 data's end");
            }
            System.arraycopy(in, ip, out, op, copy);
            ip += copy;
            op += copy;
            if (op == end) {
                return;
            }
            if (to - ip < 2) {
                throw new Problem("the lz4 data ended after " + op + " of " + end + " bytes");
            }
            int offset = (in[ip] & 0xFF) | (in[ip + 1] & 0xFF) << 8;
            ip += 2;
            if (offset == 0 || offset > op) {
                throw new Problem("a match offset of " + offset + " at output byte " + op);
            }
            int length = (token & 15) + 4;
            if ((token & 15) == 15) {
                int b;
                do {
                    if (ip >= to) {
                        throw new Problem("the lz4 data ended in a match length");
                    }
                    b = in[ip++] & 0xFF;
                    length += b;
                } while (b == 255 && length < LIMIT);
            }
            if (length >= LIMIT) {
                throw new Problem("a match of " + length + " bytes");
            }
            int n = Math.min(length, end - op);
            int src = op - offset;
            if (offset >= n) {
                System.arraycopy(out, src, out, op, n);
                op += n;
            } else {
                // Overlapping match: repeat the last offset bytes, doubling the copied span each round.
                int done = 0;
                while (done < n) {
                    int step = Math.min(n - done, op + done - src);
                    System.arraycopy(out, src, out, op + done, step);
                    done += step;
                }
                op += n;
            }
        }
    }
}
