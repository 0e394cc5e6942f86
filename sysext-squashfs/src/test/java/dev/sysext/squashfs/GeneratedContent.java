package dev.sysext.squashfs;

import java.io.InputStream;
import java.util.Random;

/**
 * A long, seeded stream that is neither zero nor random: 4 KiB pages drawn from a small set, each
 * stamped with its position, so every block compresses (even with lz4) but none is sparse or
 * equal to another. Made on the fly, so gigabytes cost no memory.
 */
final class GeneratedContent extends InputStream {
    private static final int PAGE = 4096;
    private final byte[][] pages = new byte[8][PAGE];
    private final long size;
    private long position;
    private long state;

    GeneratedContent(long seed, long size) {
        Random r = new Random(seed);
        for (byte[] p : pages) {
            r.nextBytes(p);
        }
        this.size = size;
        this.state = seed | 1;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        int done = 0;
        while (done < n) {
            int inPage = (int) (position % PAGE);
            int k = Math.min(n - done, PAGE - inPage);
            long page = position / PAGE;
            byte[] src = pages[pageIndex(page)];
            System.arraycopy(src, inPage, b, off + done, k);
            // The page number in the first 8 bytes keeps pages and blocks distinct.
            for (int i = inPage; i < Math.min(8, inPage + k); i++) {
                b[off + done + i - inPage] = (byte) (page >>> (8 * i));
            }
            done += k;
            position += k;
        }
        return n;
    }

    private int pageIndex(long page) {
        long x = page * 0x9E3779B97F4A7C15L ^ state;
        x ^= x >>> 31;
        return (int) (x & 7);
    }
}
