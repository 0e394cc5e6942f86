package dev.sysext.squashfs;

import java.util.Locale;

/** The compressors a SquashFS 4.0 image can name in its superblock. */
public enum Compression {
    /** zlib streams ({@code gzip} in mksquashfs' words). */
    GZIP(1, "gzip"),
    /** Legacy LZMA; no current kernel reads it, so the writer refuses it. */
    LZMA(2, "lzma"),
    /** LZO; read-only support is not provided either. */
    LZO(3, "lzo"),
    XZ(4, "xz"),
    LZ4(5, "lz4"),
    ZSTD(6, "zstd");

    private final int id;
    private final String displayName;

    Compression(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The compressor id stored in the superblock. */
    public int id() {
        return id;
    }

    /** The name mksquashfs uses on its command line ({@code -comp NAME}). */
    public String displayName() {
        return displayName;
    }

    /** Looks up a compressor by superblock id. */
    public static Compression fromId(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown SquashFS compressor id " + id);
    }

    /** Looks up a compressor by its mksquashfs name ({@code gzip}, {@code xz}, {@code zstd}, {@code lz4}, ...). */
    public static Compression fromName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.displayName.equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compressor '" + name + "' (expected gzip, xz, zstd or lz4)");
    }

    @Override
    public String toString() {
        return displayName;
    }
}
