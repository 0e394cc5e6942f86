package dev.sysext.squashfs;

import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How {@link SquashfsWriter} builds an image. Create with {@link #builder()}; every setting has
 * mksquashfs' default except the mkfs time, which defaults to 0 so that output depends only on the
 * inputs (callers pass {@code SOURCE_DATE_EPOCH} or the current time).
 *
 * @param compression the compressor: gzip, xz, zstd or lz4
 * @param level gzip 1..9 (default 9) or zstd 1..22 (default 15); 0 means the default, and other
 *     compressors take 0 only
 * @param gzipWindow gzip window bits; only 15, the default, can be written (java.util.zip's window)
 * @param xzDictionarySize xz dictionary size in bytes; 0 means the block size
 * @param xzFilters xz BCJ filters tried per block (the smallest result wins)
 * @param lz4HighCompression lz4 in high-compression mode
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
        Compression compression,
        int level,
        int gzipWindow,
        int xzDictionarySize,
        Set<XzFilter> xzFilters,
        boolean lz4HighCompression,
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

    public static final int MIN_BLOCK_SIZE = 4096;
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    public static final int DEFAULT_BLOCK_SIZE = 128 * 1024;

    public WriterOptions {
        if (compression != Compression.GZIP && compression != Compression.XZ && compression != Compression.ZSTD
                && compression != Compression.LZ4) {
            throw new IllegalArgumentException("compressor " + compression + " cannot be written; use gzip, xz, zstd or lz4");
        }
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two from 4 KiB to 1 MiB");
        }
        if (level != 0 && compression != Compression.GZIP && compression != Compression.ZSTD) {
            throw new IllegalArgumentException("a compression level applies to gzip and zstd only, not " + compression);
        }
        if (compression == Compression.GZIP && (level < 0 || level > 9)) {
            throw new IllegalArgumentException("gzip level " + level + " is outside 1..9");
        }
        if (compression == Compression.ZSTD && (level < 0 || level > 22)) {
            throw new IllegalArgumentException("zstd level " + level + " is outside 1..22");
        }
        if (gzipWindow != 15) {
            // Readers may size their inflate window from the options block; java.util.zip always
            // deflates with 15 bits, so declaring fewer could make an image unreadable.
            throw new IllegalArgumentException("gzip window " + gzipWindow + ": only 15 (32 KiB) can be written");
        }
        if (xzDictionarySize != 0) {
            int d = xzDictionarySize;
            boolean shape = Integer.bitCount(d) == 1 || (Integer.bitCount(d) == 2 && (d & (d >>> 1)) != 0);
            if (d < 8192 || d > blockSize || !shape) {
                throw new IllegalArgumentException("xz dictionary size " + d
                        + " must be 2^n or 2^n+2^(n-1), at least 8 KiB and at most the block size " + blockSize);
            }
        }
        xzFilters = xzFilters.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(xzFilters));
        if (!xzFilters.isEmpty() && compression != Compression.XZ) {
            throw new IllegalArgumentException("BCJ filters apply to xz only, not " + compression);
        }
        if (lz4HighCompression && compression != Compression.LZ4) {
            throw new IllegalArgumentException("high-compression mode applies to lz4 only, not " + compression);
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

    /** A builder starting from mksquashfs' defaults (gzip 9, 128 KiB blocks, fragments, export table, xattrs). */
    public static Builder builder() {
        return new Builder();
    }

    /** The xz filter bits as stored in the compressor options. */
    public int xzFilterBits() {
        int bits = 0;
        for (XzFilter f : xzFilters) {
            bits |= f.bit();
        }
        return bits;
    }

    /** Builds {@link WriterOptions}; the values are checked by {@link #build()}. */
    public static final class Builder {
        private Compression compression = Compression.GZIP;
        private int level;
        private int gzipWindow = 15;
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

        public Builder compression(Compression value) {
            compression = value;
            return this;
        }

        /** gzip or zstd level; 0 = the compressor's default. */
        public Builder level(int value) {
            level = value;
            return this;
        }

        public Builder gzipWindow(int value) {
            gzipWindow = value;
            return this;
        }

        /** 0 = the block size. */
        public Builder xzDictionarySize(int value) {
            xzDictionarySize = value;
            return this;
        }

        public Builder xzFilters(Set<XzFilter> value) {
            xzFilters = value;
            return this;
        }

        public Builder lz4HighCompression(boolean value) {
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

        public WriterOptions build() {
            return new WriterOptions(compression, level, gzipWindow, xzDictionarySize, xzFilters, lz4HighCompression,
                    blockSize, fragments, tailEnds, exportTable, xattrs, allRoot, mkfsTime, fixedInodeTime, workers,
                    duplicates);
        }
    }
}
