package dev.sysext.squashfs.internal.codec;

import dev.sysext.squashfs.Compression;
import dev.sysext.squashfs.CompressorConfig;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.XzFilter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Optional;

/** The compressor options block that may follow the superblock: writing and reading its payload. */
public final class OptionsBlock {
    private static final int LZ4_LEGACY = 1;
    private static final int LZ4_HC = 1;

    private OptionsBlock() {
    }

    /**
     * The payload of the compressor options block, or empty where mksquashfs leaves it out
     * (gzip, xz and zstd at their defaults for {@code blockSize}; lz4 always has one).
     */
    public static Optional<byte[]> encode(CompressorConfig config, int blockSize) {
        if (config.isDefault(blockSize) && !(config instanceof CompressorConfig.Lz4)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.allocate(config instanceof CompressorConfig.Zstd ? 4 : 8).order(ByteOrder.LITTLE_ENDIAN);
        if (config instanceof CompressorConfig.Gzip g) {
            b.putInt(g.level()).putShort((short) g.window()).putShort((short) g.strategies());
        } else if (config instanceof CompressorConfig.Xz x) {
            int bits = 0;
            for (XzFilter f : x.filters()) {
                bits |= f.bit();
            }
            b.putInt(x.dictionarySize()).putInt(bits);
        } else if (config instanceof CompressorConfig.Zstd z) {
            b.putInt(z.level());
        } else if (config instanceof CompressorConfig.Lz4 l) {
            b.putInt(LZ4_LEGACY).putInt(l.highCompression() ? LZ4_HC : 0);
        }
        return Optional.of(b.array());
    }

    /**
     * Reads the settings of an image from its compressor id and options payload (null when the
     * superblock has no options flag).
     */
    public static CompressorConfig decode(int compressionId, byte[] options, int blockSize)
            throws SquashfsFormatException {
        Compression c;
        try {
            c = Compression.fromId(compressionId);
        } catch (IllegalArgumentException e) {
            throw new SquashfsFormatException("superblock: " + e.getMessage());
        }
        if (c == Compression.LZMA || c == Compression.LZO) {
            throw new SquashfsFormatException("superblock: " + c + " images are not supported; use gzip, xz, zstd or lz4");
        }
        if (options == null) {
            return CompressorConfig.defaults(c, blockSize);
        }
        ByteBuffer b = ByteBuffer.wrap(options).order(ByteOrder.LITTLE_ENDIAN);
        int need = c == Compression.ZSTD ? 4 : 8;
        if (options.length < need) {
            throw new SquashfsFormatException("compressor options: " + options.length + " bytes, " + c + " needs " + need);
        }
        try {
            return switch (c) {
                case GZIP -> new CompressorConfig.Gzip(b.getInt(), Short.toUnsignedInt(b.getShort()),
                        Short.toUnsignedInt(b.getShort()));
                case XZ -> {
                    int dictionary = b.getInt();
                    int bits = b.getInt();
                    EnumSet<XzFilter> filters = EnumSet.noneOf(XzFilter.class);
                    for (XzFilter f : XzFilter.values()) {
                        if ((bits & f.bit()) != 0) {
                            filters.add(f);
                        }
                    }
                    yield new CompressorConfig.Xz(dictionary, filters);
                }
                case ZSTD -> new CompressorConfig.Zstd(b.getInt());
                case LZ4 -> {
                    int version = b.getInt();
                    if (version != LZ4_LEGACY) {
                        throw new SquashfsFormatException("compressor options: lz4 version " + version + ", expected 1");
                    }
                    yield new CompressorConfig.Lz4((b.getInt() & LZ4_HC) != 0);
                }
                default -> throw new IllegalStateException(c.toString());
            };
        } catch (IllegalArgumentException e) {
            throw new SquashfsFormatException("compressor options: " + e.getMessage(), e);
        }
    }
}
