package dev.sysext.squashfs;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How {@link SquashfsWriter} builds an image. Create with {@link #builder()}; every setting has
 * mksquashfs' default except the mkfs time, which defaults to 0 so that output depends only on the
 * inputs (callers pass {@code SOURCE_DATE_EPOCH} or the current time).
 *
 * @param compressor the compressor and its effective settings: gzip, xz, zstd or lz4 (gzip with
 *     the default window and strategy only; xz with a dictionary of at least 8 KiB and at most the
 *     block size, 2^n or 2^n+2^(n-1), unless it is the block size)
 * @param blockSize data block size, a power of two from 4 KiB to 1 MiB (default 128 KiB)
 * @param fragments pack small files into shared fragment blocks (default on)
 * @param tailEnds also pack the tails of larger files into fragments (default off)
 * @param exportTable write the NFS export table (default on)
 * @param xattrs store extended attributes (default on)
 * @param allRoot store every entry as owned by root (uid and gid 0)
 * @param mkfsTime the image creation time in the superblock, seconds since the epoch
 * @param fixedInodeTime when present, the modification time of every inode
 * @param workers threads compressing data blocks, while the calling thread reads the files and
 *     writes the image (as mksquashfs' processors); the output is the same for every value
 * @param duplicates store files of identical content once, and identical fragments once (default
 *     on, as mksquashfs; sets the superblock's duplicates flag)
 */
public record WriterOptions(
        CompressorConfig compressor,
        int blockSize,
        boolean fragments,
        boolean tailEnds,
        boolean exportTable,
        boolean xattrs,
        boolean allRoot,
        long mkfsTime,
        OptionalLong fixedInodeTime,
        int workers,
        boolean duplicates) {

    /** The smallest block size, 4 KiB. */
    public static final int MIN_BLOCK_SIZE = 4096;
    /** The largest block size, 1 MiB. */
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    /** mksquashfs' default block size, 128 KiB. */
    public static final int DEFAULT_BLOCK_SIZE = 128 * 1024;

    /** Checks that the settings can be written together. */
    public WriterOptions {
        Objects.requireNonNull(compressor, "compressor");
        Objects.requireNonNull(fixedInodeTime, "fixedInodeTime");
        checkBlockSize(blockSize);
        if (compressor instanceof CompressorConfig.Gzip g) {
            if (g.window() != CompressorConfig.Gzip.DEFAULT_WINDOW) {
                // Readers may size their inflate window from the options block; java.util.zip always
                // deflates with 15 bits, so declaring fewer could make an image unreadable.
                throw new IllegalArgumentException("gzip window " + g.window() + ": only 15 (32 KiB) can be written");
            }
            if (g.strategies() != 0) {
                throw new IllegalArgumentException("gzip strategies 0x" + Integer.toHexString(g.strategies())
                        + ": only the default strategy can be written");
            }
        }
        if (compressor instanceof CompressorConfig.Xz x && x.dictionarySize() != blockSize) {
            checkXzDictionary(x.dictionarySize(), blockSize);
        }
        if (mkfsTime < 0 || mkfsTime > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("mkfs time " + mkfsTime + " is outside 0..4294967295");
        }
        if (fixedInodeTime.isPresent() && (fixedInodeTime.getAsLong() < 0 || fixedInodeTime.getAsLong() > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("inode time " + fixedInodeTime.getAsLong() + " is outside 0..4294967295");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers + " must be at least 1");
        }
    }

    private static void checkBlockSize(int blockSize) {
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two from 4 KiB to 1 MiB");
        }
    }

    private static void checkXzDictionary(int d, int blockSize) {
        boolean shape = Integer.bitCount(d) == 1 || (Integer.bitCount(d) == 2 && (d & (d >>> 1)) != 0);
        if (d < 8192 || d > blockSize || !shape) {
            throw new IllegalArgumentException("xz dictionary size " + d
                    + " must be 2^n or 2^n+2^(n-1), at least 8 KiB and at most the block size " + blockSize);
        }
    }

    /** The compressor's algorithm; short for {@code compressor().compression()}. */
    public Compression compression() {
        return compressor.compression();
    }

    /** A builder starting from mksquashfs' defaults (gzip 9, 128 KiB blocks, fragments, export table, xattrs). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link WriterOptions}; the values are checked by {@link #build()}. The compressor is
     * either given whole ({@link #compressor(CompressorConfig)}) or, as on mksquashfs' command line,
     * as a {@link #compression(Compression)} with some of its settings; the settings left out take
     * mksquashfs' defaults for the block size.
     */
    public static final class Builder {
        private CompressorConfig compressor;
        private Compression compression = Compression.GZIP;
        private int level;
        private int gzipWindow = CompressorConfig.Gzip.DEFAULT_WINDOW;
        private int xzDictionarySize;
        private Set<XzFilter> xzFilters = Set.of();
        private boolean lz4HighCompression;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private boolean fragments = true;
        private boolean tailEnds;
        private boolean exportTable = true;
        private boolean xattrs = true;
        private boolean allRoot;
        private long mkfsTime;
        private OptionalLong fixedInodeTime = OptionalLong.empty();
        private int workers = 1;
        private boolean duplicates = true;

        private Builder() {
        }

        /** The whole compressor configuration; replaces any compression and settings given before. */
        public Builder compressor(CompressorConfig value) {
            compressor = Objects.requireNonNull(value, "compressor");
            compression = value.compression();
            level = 0;
            gzipWindow = CompressorConfig.Gzip.DEFAULT_WINDOW;
            xzDictionarySize = 0;
            xzFilters = Set.of();
            lz4HighCompression = false;
            return this;
        }

        /** The compressor (default gzip), its settings given by the setters below or left at the defaults. */
        public Builder compression(Compression value) {
            compressor = null;
            compression = Objects.requireNonNull(value, "compression");
            return this;
        }

        /** gzip or zstd level; 0 = the compressor's default (gzip 9, zstd 15). */
        public Builder level(int value) {
            compressor = null;
            level = value;
            return this;
        }

        /** gzip window bits; only 15, the default, can be written. */
        public Builder gzipWindow(int value) {
            compressor = null;
            gzipWindow = value;
            return this;
        }

        /** xz dictionary size in bytes; 0 = the block size. */
        public Builder xzDictionarySize(int value) {
            compressor = null;
            xzDictionarySize = value;
            return this;
        }

        /** xz BCJ filters tried per block. */
        public Builder xzFilters(Set<XzFilter> value) {
            compressor = null;
            xzFilters = Objects.requireNonNull(value, "xzFilters");
            return this;
        }

        /** lz4 high-compression mode. */
        public Builder lz4HighCompression(boolean value) {
            compressor = null;
            lz4HighCompression = value;
            return this;
        }

        public Builder blockSize(int value) {
            blockSize = value;
            return this;
        }

        public Builder fragments(boolean value) {
            fragments = value;
            return this;
        }

        public Builder tailEnds(boolean value) {
            tailEnds = value;
            return this;
        }

        public Builder exportTable(boolean value) {
            exportTable = value;
            return this;
        }

        public Builder xattrs(boolean value) {
            xattrs = value;
            return this;
        }

        public Builder allRoot(boolean value) {
            allRoot = value;
            return this;
        }

        public Builder mkfsTime(long value) {
            mkfsTime = value;
            return this;
        }

        public Builder fixedInodeTime(OptionalLong value) {
            fixedInodeTime = value;
            return this;
        }

        public Builder workers(int value) {
            workers = value;
            return this;
        }

        /** Whether files and fragments of identical content are stored once (default true). */
        public Builder duplicates(boolean value) {
            duplicates = value;
            return this;
        }

        /**
         * Checks and builds the options.
         *
         * @throws IllegalArgumentException naming the setting that is out of range or does not apply
         *     to the compressor
         */
        public WriterOptions build() {
            return new WriterOptions(compressor != null ? compressor : resolveCompressor(), blockSize, fragments,
                    tailEnds, exportTable, xattrs, allRoot, mkfsTime, fixedInodeTime, workers, duplicates);
        }

        /** The compressor configuration the mksquashfs-style settings stand for, with defaults filled in. */
        private CompressorConfig resolveCompressor() {
            if (compression != Compression.GZIP && compression != Compression.XZ && compression != Compression.ZSTD
                    && compression != Compression.LZ4) {
                throw new IllegalArgumentException("compressor " + compression
                        + " cannot be written; use gzip, xz, zstd or lz4");
            }
            // The checks in the order (and with the messages) the command line has always reported them.
            checkBlockSize(blockSize);
            if (level != 0 && compression != Compression.GZIP && compression != Compression.ZSTD) {
                throw new IllegalArgumentException("a compression level applies to gzip and zstd only, not " + compression);
            }
            if (compression == Compression.GZIP && level != 0) {
                new CompressorConfig.Gzip(level); // throws when out of range
            }
            if (compression == Compression.ZSTD && level != 0) {
                new CompressorConfig.Zstd(level); // throws when out of range
            }
            if (gzipWindow != CompressorConfig.Gzip.DEFAULT_WINDOW) {
                throw new IllegalArgumentException("gzip window " + gzipWindow + ": only 15 (32 KiB) can be written");
            }
            if (xzDictionarySize != 0) {
                checkXzDictionary(xzDictionarySize, blockSize);
            }
            if (compression != Compression.XZ && !xzFilters.isEmpty()) {
                throw new IllegalArgumentException("BCJ filters apply to xz only, not " + compression);
            }
            if (lz4HighCompression && compression != Compression.LZ4) {
                throw new IllegalArgumentException("high-compression mode applies to lz4 only, not " + compression);
            }
            return switch (compression) {
                case GZIP -> new CompressorConfig.Gzip(level == 0 ? CompressorConfig.Gzip.DEFAULT_LEVEL : level,
                        gzipWindow, 0);
                case ZSTD -> new CompressorConfig.Zstd(level == 0 ? CompressorConfig.Zstd.DEFAULT_LEVEL : level);
                case XZ -> new CompressorConfig.Xz(xzDictionarySize == 0 ? blockSize : xzDictionarySize, xzFilters);
                case LZ4 -> new CompressorConfig.Lz4(lz4HighCompression);
                default -> throw new IllegalStateException(compression.toString());
            };
        }
    }
}
