package dev.sysext.squashfs.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.SquashfsFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.ARMOptions;
import org.tukaani.xz.ARMThumbOptions;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.IA64Options;
import org.tukaani.xz.PowerPCOptions;
import org.tukaani.xz.SPARCOptions;
import org.tukaani.xz.X86Options;

/**
 * A compressor and its settings, as stored in the superblock and the compressor options block.
 *
 * @param compression the algorithm
 * @param level gzip 1..9, zstd 1..22; ignored otherwise
 * @param gzipWindow gzip window bits, 8..15 (java.util.zip always deflates with 15)
 * @param gzipStrategies gzip strategy bits as mksquashfs stores them (0 = default)
 * @param xzDictionarySize xz dictionary size in bytes
 * @param xzFilters xz BCJ filter bits ({@link #XZ_X86}, ...)
 * @param lz4HighCompression lz4 HC mode
 */
public record CodecSpec(Compression compression, int level, int gzipWindow, int gzipStrategies,
        int xzDictionarySize, int xzFilters, boolean lz4HighCompression) {

    public static final int GZIP_DEFAULT_LEVEL = 9;
    public static final int GZIP_DEFAULT_WINDOW = 15;
    public static final int ZSTD_DEFAULT_LEVEL = 15;
    public static final int ZSTD_MAX_LEVEL = 22;

    /** xz BCJ filter bits, as mksquashfs numbers them. */
    public static final int XZ_X86 = 0x01;
    public static final int XZ_POWERPC = 0x02;
    public static final int XZ_IA64 = 0x04;
    public static final int XZ_ARM = 0x08;
    public static final int XZ_ARMTHUMB = 0x10;
    public static final int XZ_SPARC = 0x20;
    public static final int XZ_ARM64 = 0x40;

    private static final int LZ4_LEGACY = 1;
    private static final int LZ4_HC = 1;
    private static final int GZIP_STRATEGY_FILTERED = 0x0002;
    private static final int GZIP_STRATEGY_HUFFMAN_ONLY = 0x0004;

    public CodecSpec {
        switch (compression) {
            case GZIP -> {
                if (level < 1 || level > 9) {
                    throw new IllegalArgumentException("gzip level " + level + " is outside 1..9");
                }
                if (gzipWindow < 8 || gzipWindow > 15) {
                    throw new IllegalArgumentException("gzip window " + gzipWindow + " is outside 8..15");
                }
            }
            case ZSTD -> {
                if (level < 1 || level > ZSTD_MAX_LEVEL) {
                    throw new IllegalArgumentException("zstd level " + level + " is outside 1..22");
                }
            }
            case XZ -> {
                // 4 KiB: the default (the block size) for 4 KiB blocks, as mksquashfs writes it.
                if (xzDictionarySize < 4096) {
                    throw new IllegalArgumentException("xz dictionary size " + xzDictionarySize + " is below 4 KiB");
                }
            }
            case LZ4 -> { }
            default -> throw new IllegalArgumentException(compression + " images cannot be written or read here;"
                    + " use gzip, xz, zstd or lz4");
        }
    }

    /** mksquashfs' defaults for a compressor at a block size. */
    public static CodecSpec defaults(Compression compression, int blockSize) {
        return switch (compression) {
            case GZIP -> new CodecSpec(compression, GZIP_DEFAULT_LEVEL, GZIP_DEFAULT_WINDOW, 0, 0, 0, false);
            case ZSTD -> new CodecSpec(compression, ZSTD_DEFAULT_LEVEL, 0, 0, 0, 0, false);
            case XZ -> new CodecSpec(compression, 0, 0, 0, blockSize, 0, false);
            case LZ4 -> new CodecSpec(compression, 0, 0, 0, 0, 0, false);
            default -> throw new IllegalArgumentException(compression + " is not supported; use gzip, xz, zstd or lz4");
        };
    }

    /** A new codec for one thread. */
    public Codec newCodec() {
        return switch (compression) {
            case GZIP -> new GzipCodec(level, deflaterStrategy());
            case ZSTD -> new ZstdCodec(level);
            case XZ -> new XzCodec(xzDictionarySize, bcjFilters());
            case LZ4 -> new Lz4Codec(lz4HighCompression);
            default -> throw new IllegalStateException(compression.toString());
        };
    }

    /**
     * The payload of the compressor options block, or empty where mksquashfs leaves it out
     * (gzip, xz and zstd at their defaults for {@code blockSize}; lz4 always has one).
     */
    public Optional<byte[]> optionsBlock(int blockSize) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        switch (compression) {
            case GZIP -> {
                if (level == GZIP_DEFAULT_LEVEL && gzipWindow == GZIP_DEFAULT_WINDOW && gzipStrategies == 0) {
                    return Optional.empty();
                }
                b.putInt(level).putShort((short) gzipWindow).putShort((short) gzipStrategies);
            }
            case XZ -> {
                if (xzDictionarySize == blockSize && xzFilters == 0) {
                    return Optional.empty();
                }
                b.putInt(xzDictionarySize).putInt(xzFilters);
            }
            case ZSTD -> {
                if (level == ZSTD_DEFAULT_LEVEL) {
                    return Optional.empty();
                }
                return Optional.of(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(level).array());
            }
            case LZ4 -> b.putInt(LZ4_LEGACY).putInt(lz4HighCompression ? LZ4_HC : 0);
            default -> throw new IllegalStateException(compression.toString());
        }
        return Optional.of(b.array());
    }

    /**
     * Reads the settings of an image from its compressor id and options payload (null when the
     * superblock has no options flag).
     */
    public static CodecSpec fromImage(int compressionId, byte[] options, int blockSize) throws SquashfsFormatException {
        Compression c;
        try {
            c = Compression.fromId(compressionId);
        } catch (IllegalArgumentException e) {
            throw new SquashfsFormatException("superblock: " + e.getMessage());
        }
        if (c == Compression.LZMA || c == Compression.LZO) {
            throw new SquashfsFormatException("superblock: " + c + " images are not supported; use gzip, xz, zstd or lz4");
        }
        CodecSpec d = defaults(c, blockSize);
        if (options == null) {
            return d;
        }
        ByteBuffer b = ByteBuffer.wrap(options).order(ByteOrder.LITTLE_ENDIAN);
        int need = c == Compression.ZSTD ? 4 : 8;
        if (options.length < need) {
            throw new SquashfsFormatException("compressor options: " + options.length + " bytes, " + c + " needs " + need);
        }
        try {
            return switch (c) {
                case GZIP -> new CodecSpec(c, b.getInt(), Short.toUnsignedInt(b.getShort()),
                        Short.toUnsignedInt(b.getShort()), 0, 0, false);
                case XZ -> new CodecSpec(c, 0, 0, 0, b.getInt(), b.getInt(), false);
                case ZSTD -> new CodecSpec(c, b.getInt(), 0, 0, 0, 0, false);
                case LZ4 -> {
                    int version = b.getInt();
                    if (version != LZ4_LEGACY) {
                        throw new SquashfsFormatException("compressor options: lz4 version " + version + ", expected 1");
                    }
                    yield new CodecSpec(c, 0, 0, 0, 0, 0, (b.getInt() & LZ4_HC) != 0);
                }
                default -> throw new IllegalStateException(c.toString());
            };
        } catch (IllegalArgumentException e) {
            throw new SquashfsFormatException("compressor options: " + e.getMessage(), e);
        }
    }

    private int deflaterStrategy() {
        if ((gzipStrategies & GZIP_STRATEGY_HUFFMAN_ONLY) != 0) {
            return Deflater.HUFFMAN_ONLY;
        }
        if ((gzipStrategies & GZIP_STRATEGY_FILTERED) != 0) {
            return Deflater.FILTERED;
        }
        return Deflater.DEFAULT_STRATEGY;
    }

    private List<FilterOptions> bcjFilters() {
        List<FilterOptions> f = new ArrayList<>();
        if ((xzFilters & XZ_X86) != 0) {
            f.add(new X86Options());
        }
        if ((xzFilters & XZ_POWERPC) != 0) {
            f.add(new PowerPCOptions());
        }
        if ((xzFilters & XZ_IA64) != 0) {
            f.add(new IA64Options());
        }
        if ((xzFilters & XZ_ARM) != 0) {
            f.add(new ARMOptions());
        }
        if ((xzFilters & XZ_ARMTHUMB) != 0) {
            f.add(new ARMThumbOptions());
        }
        if ((xzFilters & XZ_SPARC) != 0) {
            f.add(new SPARCOptions());
        }
        if ((xzFilters & XZ_ARM64) != 0) {
            f.add(new ARM64Options());
        }
        return f;
    }
}
