package dev.sysext.squashfs.internal.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.XzFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.ARMOptions;
import org.tukaani.xz.ARMThumbOptions;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.IA64Options;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.PowerPCOptions;
import org.tukaani.xz.SPARCOptions;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * xz streams with a CRC32 check (the kernel decoder has no CRC64). With BCJ filters, every block is
 * compressed once plainly and once per filter and the smallest result wins, as mksquashfs does.
 */
final class XzCodec implements Codec {
    /**
     * Decoder memory cap. SquashFS dictionaries are at most the block size (1 MiB); without a cap a
     * corrupt stream header could make the decoder allocate gigabytes for its dictionary.
     */
    static final int DECODER_MEMORY_LIMIT_KIB = 16 * 1024;

    private final List<FilterOptions[]> candidates;
    private final ArrayCache cache = new BasicArrayCache();
    private byte[] scratch = new byte[0];

    XzCodec(int dictionarySize, Set<XzFilter> bcjFilters) {
        LZMA2Options lzma2 = new LZMA2Options();
        try {
            lzma2.setPreset(LZMA2Options.PRESET_DEFAULT);
            lzma2.setDictSize(dictionarySize);
        } catch (org.tukaani.xz.UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz dictionary size " + dictionarySize + ": " + e.getMessage(), e);
        }
        java.util.ArrayList<FilterOptions[]> c = new java.util.ArrayList<>();
        c.add(new FilterOptions[] {lzma2});
        // In the order of the filter bits, as before: on equal sizes the first candidate wins.
        for (XzFilter f : XzFilter.values()) {
            if (bcjFilters.contains(f)) {
                c.add(new FilterOptions[] {bcj(f), lzma2});
            }
        }
        candidates = List.copyOf(c);
    }

    private static FilterOptions bcj(XzFilter f) {
        return switch (f) {
            case X86 -> new X86Options();
            case POWERPC -> new PowerPCOptions();
            case IA64 -> new IA64Options();
            case ARM -> new ARMOptions();
            case ARMTHUMB -> new ARMThumbOptions();
            case SPARC -> new SPARCOptions();
            case ARM64 -> new ARM64Options();
        };
    }

    @Override
    public Compression compression() {
        return Compression.XZ;
    }

    @Override
    public int compress(byte[] src, int off, int len, byte[] dst) {
        int best = -1;
        for (FilterOptions[] filters : candidates) {
            if (scratch.length < len) {
                scratch = new byte[len];
            }
            int n = compressInto(filters, src, off, len, scratch, best < 0 ? len : best);
            if (n >= 0) {
                System.arraycopy(scratch, 0, dst, 0, n);
                best = n;
            }
        }
        return best;
    }

    /** Compresses into out, giving up (-1) once the output reaches limit bytes. */
    private int compressInto(FilterOptions[] filters, byte[] src, int off, int len, byte[] out, int limit) {
        BoundedArrayOutput sink = new BoundedArrayOutput(out, limit);
        // No try-with-resources: after a failed write XZOutputStream rethrows the same exception from
        // close(), and adding an exception to itself as suppressed throws IllegalArgumentException.
        try {
            XZOutputStream xz = new XZOutputStream(sink, filters, XZ.CHECK_CRC32, cache);
            xz.write(src, off, len);
            xz.finish();
        } catch (BoundedArrayOutput.Full e) {
            return -1;
        } catch (IOException e) {
            throw new IllegalStateException("xz compression failed", e);
        }
        return sink.size;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstMax) throws SquashfsFormatException {
        try (XZInputStream in = new XZInputStream(new ByteArrayInputStream(src, off, len), DECODER_MEMORY_LIMIT_KIB,
                true, cache)) {
            int n = in.readNBytes(dst, 0, dstMax);
            if (in.read() != -1) {
                throw new SquashfsFormatException("xz stream expands past " + dstMax + " bytes");
            }
            return n;
        } catch (SquashfsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new SquashfsFormatException("corrupt xz stream of " + len + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing native to release
    }

    /** An output stream over a byte array that throws once a limit is reached. */
    private static final class BoundedArrayOutput extends OutputStream {
        private final byte[] out;
        private final int limit;
        private int size;

        BoundedArrayOutput(byte[] out, int limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (size + 1 >= limit) {
                throw new Full();
            }
            out[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (size + len >= limit) {
                throw new Full();
            }
            System.arraycopy(b, off, out, size, len);
            size += len;
        }

        private static final class Full extends IOException {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this; // control flow, not an error
            }
        }
    }
}
