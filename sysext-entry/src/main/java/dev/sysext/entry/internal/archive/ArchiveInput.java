package dev.sysext.entry.internal.archive;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * A tar archive read so that every failure names the archive, the entry and what is wrong. Commons
 * Compress reports a gzip stream cut short as an {@code EOFException} without a message and a tar
 * entry cut short as "Truncated TAR archive"; here they become "truncated gzip stream after N bytes"
 * and "entry 'bin/ctr': archive ends inside it (after N of M bytes)". One class for every
 * reader of release archives: exported only to the modules that stage archives (sysext-stage).
 */
public final class ArchiveInput {
    private final String name;
    private final Counting raw;
    private final String format;
    private final TarArchiveInputStream tar;
    /** The tar stream itself (after decompression), counted to tell a clean end from a cut header. */
    private final Counting plain;
    private String current;
    /** Bytes of the current entry's data not read yet. */
    private long unread;

    /** An error already described in full. */
    public static final class ArchiveException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String detail;

        ArchiveException(String message, String detail, Throwable cause) {
            super(message, cause);
            this.detail = detail;
        }
    }

    /**
     * Reads the (plain, gzip, xz or zstd) tar archive in {@code in}, named {@code name} in errors,
     * with names in {@code encoding} (null: Commons Compress' default).
     */
    public ArchiveInput(InputStream in, String name, String encoding) throws IOException {
        this.name = name;
        this.raw = new Counting(new BufferedInputStream(in, 1 << 16));
        raw.mark(8);
        byte[] magic = raw.readNBytes(6);
        raw.reset();
        InputStream decompressed;
        String f = null;
        try {
            if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
                f = "gzip";
                decompressed = GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            } else if (magic.length >= 6 && (magic[0] & 0xFF) == 0xFD && magic[1] == '7' && magic[2] == 'z'
                    && magic[3] == 'X' && magic[4] == 'Z' && magic[5] == 0) {
                f = "xz";
                decompressed = XZCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
            } else if (magic.length >= 4 && (magic[0] & 0xFF) == 0x28 && (magic[1] & 0xFF) == 0xB5
                    && (magic[2] & 0xFF) == 0x2F && (magic[3] & 0xFF) == 0xFD) {
                f = "zstd";
                decompressed = new ZstdCompressorInputStream(raw);
            } else {
                decompressed = raw;
            }
        } catch (IOException e) {
            throw streamError(f, e);
        }
        this.format = f;
        this.plain = new Counting(format == null ? decompressed : new Decompressed(decompressed));
        this.tar = encoding == null ? new TarArchiveInputStream(plain) : new TarArchiveInputStream(plain, encoding);
    }

    /** The next entry, or null at the archive's end. */
    public TarArchiveEntry next() throws IOException {
        String previous = current;
        // Whether the end came inside the previous entry's data (it is skipped when not read) or after it.
        boolean inside = previous != null && unread > 0;
        current = null;
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } catch (ArchiveException e) {
            if (previous == null) {
                throw e;
            }
            if (inside) {
                throw new ArchiveException(name + ": entry '" + previous + "': " + e.detail, e.detail, e.getCause());
            }
            throw new ArchiveException(e.getMessage() + ", after entry '" + previous + "'", e.detail, e.getCause());
        } catch (IOException | IllegalArgumentException e) {
            if (raw.ended && inside) {
                throw new ArchiveException(name + ": entry '" + previous + "': archive ends inside it", "", e);
            }
            if (raw.ended) {
                throw new ArchiveException(name + ": archive ends inside an entry header after " + raw.count + " bytes"
                        + (previous == null ? "" : ", after entry '" + previous + "'"), "", e);
            }
            throw new ArchiveException(name + ": not a readable tar archive: " + describe(e)
                    + (previous == null ? "" : " (after entry '" + previous + "')"), "", e);
        }
        if (entry == null && plain.count % 512 != 0) {
            // Commons Compress takes a header cut short for the archive's end; tar calls it an error.
            throw new ArchiveException(name + ": archive ends inside an entry header after " + raw.count + " bytes"
                    + (previous == null ? "" : ", after entry '" + previous + "'"), "", null);
        }
        if (entry != null) {
            current = entry.getName();
            unread = entry.isFile() && !entry.isLink() ? entry.getSize() : 0;
        }
        return entry;
    }

    /** The content of the current entry, exactly {@code size} bytes, read with errors that name it. */
    public InputStream content(long size) {
        return new Content(current, size);
    }

    private ArchiveException streamError(String f, IOException e) {
        String detail = raw.ended ? "truncated " + f + " stream after " + raw.count + " bytes"
                : "corrupt " + f + " data near byte " + raw.count + " (" + describe(e) + ")";
        return new ArchiveException(name + ": " + detail, detail, e);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Counts the archive file's bytes and notes when its end was reached. */
    private static final class Counting extends FilterInputStream {
        long count;
        boolean ended;
        private long marked;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended = true;
            } else {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                ended = true;
            } else {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            marked = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = marked;
            ended = false;
        }
    }

    /** The decompressor's output, with its failures described (truncated or corrupt, where). */
    private final class Decompressed extends FilterInputStream {
        Decompressed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException e) {
                throw streamError(format, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException e) {
                throw streamError(format, e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (ArchiveException e) {
                throw e;
            } catch (IOException e) {
                throw streamError(format, e);
            }
        }
    }

    /** One entry's content; the tar stream stays open when it is closed. */
    private final class Content extends InputStream {
        private final String entry;
        private final long size;
        private long read;

        Content(String entry, long size) {
            this.entry = entry;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = tar.read(b, off, len);
                if (n > 0) {
                    read += n;
                    unread -= n;
                }
                return n;
            } catch (ArchiveException e) {
                throw new ArchiveException(name + ": entry '" + entry + "': " + e.detail, e.detail, e.getCause());
            } catch (IOException e) {
                if (raw.ended) {
                    String detail = "archive ends inside it (after " + read + " of " + size + " bytes)";
                    throw new ArchiveException(name + ": entry '" + entry + "': " + detail, detail, e);
                }
                throw new ArchiveException(name + ": entry '" + entry + "': " + describe(e), describe(e), e);
            }
        }

        @Override
        public void close() {
            // The archive goes on: the next entry follows.
        }
    }
}
