package dev.sysext.squashfs;

import java.util.Collections;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A compressor and its effective settings: what {@link WriterOptions#compressor()} writes with and
 * what {@link ImageInfo#compressor()} reads from an image's superblock and compressor options. Every
 * value is explicit; there is no "default" placeholder, so a default gzip configuration says level 9
 * and a default xz configuration names its dictionary size. {@link #defaults(Compression, int)} gives
 * mksquashfs' defaults.
 *
 * <pre>{@code
 * CompressorConfig zstd19 = new CompressorConfig.Zstd(19);
 * WriterOptions options = WriterOptions.builder().compressor(zstd19).build();
 * }</pre>
 */
public sealed interface CompressorConfig
        permits CompressorConfig.Gzip, CompressorConfig.Xz, CompressorConfig.Zstd, CompressorConfig.Lz4 {

    /** The algorithm, as named in the superblock. */
    Compression compression();

    /** The compression level where the compressor has one (gzip, zstd); empty for xz and lz4. */
    OptionalInt compressionLevel();

    /**
     * mksquashfs' defaults for {@code compression} at {@code blockSize}: gzip level 9 with a 15-bit
     * window, xz with a dictionary of the block size and no BCJ filter, zstd level 15, lz4 without HC.
     *
     * @throws IllegalArgumentException for lzma and lzo, which are not supported
     */
    static CompressorConfig defaults(Compression compression, int blockSize) {
        return switch (compression) {
            case GZIP -> new Gzip(Gzip.DEFAULT_LEVEL, Gzip.DEFAULT_WINDOW, 0);
            case XZ -> new Xz(blockSize, Set.of());
            case ZSTD -> new Zstd(Zstd.DEFAULT_LEVEL);
            case LZ4 -> new Lz4(false);
            default -> throw new IllegalArgumentException(compression + " is not supported; use gzip, xz, zstd or lz4");
        };
    }

    /**
     * Whether these are mksquashfs' defaults at {@code blockSize}; an image then carries no
     * compressor options block, except with lz4, which always has one.
     */
    default boolean isDefault(int blockSize) {
        return equals(defaults(compression(), blockSize));
    }

    /**
     * zlib streams ({@code gzip} in mksquashfs' words).
     *
     * @param level 1..9
     * @param window window bits, 8..15 (java.util.zip deflates with 15 only, so only 15 is written)
     * @param strategies the strategy bits as mksquashfs stores them (0 = the default strategy; only 0
     *     is written)
     */
    record Gzip(int level, int window, int strategies) implements CompressorConfig {
        /** mksquashfs' default gzip level. */
        public static final int DEFAULT_LEVEL = 9;
        /** mksquashfs' default (and zlib's largest) window, in bits. */
        public static final int DEFAULT_WINDOW = 15;

        /** Checks the ranges. */
        public Gzip {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("gzip level " + level + " is outside 1..9");
            }
            if (window < 8 || window > 15) {
                throw new IllegalArgumentException("gzip window " + window + " is outside 8..15");
            }
        }

        /** gzip at {@code level} with the default window and strategy. */
        public Gzip(int level) {
            this(level, DEFAULT_WINDOW, 0);
        }

        @Override
        public Compression compression() {
            return Compression.GZIP;
        }

        @Override
        public OptionalInt compressionLevel() {
            return OptionalInt.of(level);
        }
    }

    /**
     * xz streams.
     *
     * @param dictionarySize the dictionary size in bytes, at least 4 KiB
     * @param filters the BCJ filters tried per block besides plain LZMA2 (the smallest result wins);
     *     iterated in the order of their option bits
     */
    record Xz(int dictionarySize, Set<XzFilter> filters) implements CompressorConfig {
        /** Checks the dictionary size and copies the filters. */
        public Xz {
            // 4 KiB: the default (the block size) for 4 KiB blocks, as mksquashfs writes it.
            if (dictionarySize < 4096) {
                throw new IllegalArgumentException("xz dictionary size " + dictionarySize + " is below 4 KiB");
            }
            // An EnumSet view: iteration in the order of the filter bits, whatever the caller passed.
            filters = Collections.unmodifiableSet(filters.isEmpty() ? EnumSet.noneOf(XzFilter.class)
                    : EnumSet.copyOf(filters));
        }

        @Override
        public Compression compression() {
            return Compression.XZ;
        }

        @Override
        public OptionalInt compressionLevel() {
            return OptionalInt.empty();
        }
    }

    /**
     * zstd frames.
     *
     * @param level 1..22
     */
    record Zstd(int level) implements CompressorConfig {
        /** mksquashfs' default zstd level. */
        public static final int DEFAULT_LEVEL = 15;
        /** The highest zstd level. */
        public static final int MAX_LEVEL = 22;

        /** Checks the range. */
        public Zstd {
            if (level < 1 || level > MAX_LEVEL) {
                throw new IllegalArgumentException("zstd level " + level + " is outside 1..22");
            }
        }

        @Override
        public Compression compression() {
            return Compression.ZSTD;
        }

        @Override
        public OptionalInt compressionLevel() {
            return OptionalInt.of(level);
        }
    }

    /**
     * Raw lz4 blocks.
     *
     * @param highCompression lz4 HC mode (at its highest level, as mksquashfs)
     */
    record Lz4(boolean highCompression) implements CompressorConfig {
        @Override
        public Compression compression() {
            return Compression.LZ4;
        }

        @Override
        public OptionalInt compressionLevel() {
            return OptionalInt.empty();
        }
    }
}
