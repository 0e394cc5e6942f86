package dev.sysext.erofs.internal;

/**
 * Walks the sequences of an LZ4 block one at a time: token, literal length (15 plus 255-continuation
 * bytes), literals, 2-byte offset, match length (the same way). The block is trusted (one that
 * lz4-java just wrote), so nothing is checked; the reader's decoder ({@code Lz4Block}) checks every
 * field instead. One cursor per walk and plain int fields, so the JIT keeps the walk a simple loop.
 */
final class Lz4Sequences {
    private final byte[] block;
    private final int to;
    /** The block offset just past the current sequence: where the next one starts. */
    int end;
    /** The block offset of the current sequence's literals. */
    int literalStart;
    /** How many literals the current sequence has. */
    int literals;
    /** The current sequence's match length, 0 for the block's last sequence (literals only). */
    int match;
    /** The input the sequences so far decode to, up to the end of the current one. */
    int input;

    /** A cursor before the first sequence of the block {@code block[from, to)}; input counts from 0. */
    Lz4Sequences(byte[] block, int from, int to) {
        this.block = block;
        this.to = to;
        this.end = from;
    }

    /** Moves to the next sequence; false when the block has no more. */
    boolean next() {
        if (end >= to) {
            return false;
        }
        int token = block[end++] & 0xFF;
        int lit = token >>> 4;
        if (lit == 15) {
            lit = extended(lit);
        }
        literalStart = end;
        literals = lit;
        end += lit;
        input += lit;
        if (end >= to) {
            match = 0; // the block's own last run: only literals
            return true;
        }
        end += 2; // the match offset
        int m = token & 15;
        if (m == 15) {
            m = extended(m);
        }
        match = m + 4;
        input += match;
        return true;
    }

    /** A length of 15 from the token plus the 255-continuation bytes at {@link #end}, which it passes. */
    private int extended(int length) {
        int x;
        do {
            x = block[end++] & 0xFF;
            length += x;
        } while (x == 255);
        return length;
    }

    /** The input position of the current sequence's first literal. */
    int literalInput() {
        return input - match - literals;
    }
}
