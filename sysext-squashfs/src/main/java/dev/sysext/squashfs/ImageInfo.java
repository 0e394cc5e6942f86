package dev.sysext.squashfs;

import dev.sysext.squashfs.format.SuperblockFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * Superblock-level facts about an image: compressor and its settings, sizes, counts, flags.
 *
 * @param compression the compressor
 * @param compressorOptionsStored whether the image carries a compressor options block
 * @param compressionLevel gzip or zstd level (the default when no options are stored); 0 for xz and lz4
 * @param gzipWindow gzip window bits; 0 for other compressors
 * @param gzipStrategies gzip strategy bits as mksquashfs stores them; 0 for other compressors
 * @param xzDictionarySize xz dictionary size in bytes; 0 for other compressors
 * @param xzFilters xz BCJ filter bits as mksquashfs stores them (see {@link #xzFilterNames()})
 * @param lz4HighCompression whether lz4 blocks were made in high-compression mode
 * @param blockSize data block size in bytes
 * @param flags the superblock flag bits (see {@link #flagNames()})
 * @param inodeCount number of inodes
 * @param fragmentCount number of fragment blocks
 * @param idCount number of distinct uids and gids
 * @param xattrIdCount number of distinct xattr sets
 * @param bytesUsed bytes the filesystem occupies (without the padding)
 * @param imageSize size of the image file
 * @param mkfsTime creation time, seconds since the epoch
 * @param inodeTableStart offset of the inode table
 * @param directoryTableStart offset of the directory table
 * @param fragmentTableStart offset of the fragment table's location array, -1 when absent
 * @param exportTableStart offset of the export table's location array, -1 when absent (not NFS-exportable)
 * @param idTableStart offset of the id table's location array
 * @param xattrTableStart offset of the xattr id table, -1 when absent
 */
public record ImageInfo(
        Compression compression,
        boolean compressorOptionsStored,
        int compressionLevel,
        int gzipWindow,
        int gzipStrategies,
        int xzDictionarySize,
        int xzFilters,
        boolean lz4HighCompression,
        int blockSize,
        int flags,
        long inodeCount,
        long fragmentCount,
        int idCount,
        long xattrIdCount,
        long bytesUsed,
        long imageSize,
        long mkfsTime,
        long inodeTableStart,
        long directoryTableStart,
        long fragmentTableStart,
        long exportTableStart,
        long idTableStart,
        long xattrTableStart) {

    private static final String[] FLAG_NAMES = {
        "uncompressed-inodes", "uncompressed-data", "check", "uncompressed-fragments", "no-fragments",
        "always-fragments", "duplicates", "exportable", "uncompressed-xattrs", "no-xattrs",
        "compressor-options", "uncompressed-ids"};
    private static final String[] XZ_FILTER_NAMES = {"x86", "powerpc", "ia64", "arm", "armthumb", "sparc", "arm64"};

    /** The names of the set flag bits, lowest bit first; unknown bits as {@code 0x...}. */
    public List<String> flagNames() {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 16; bit++) {
            if ((flags & 1 << bit) != 0) {
                names.add(bit < FLAG_NAMES.length ? FLAG_NAMES[bit] : String.format("0x%04x", 1 << bit));
            }
        }
        return names;
    }

    /** The names of the xz BCJ filters, as mksquashfs' {@code -Xbcj} takes them. */
    public List<String> xzFilterNames() {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < XZ_FILTER_NAMES.length; bit++) {
            if ((xzFilters & 1 << bit) != 0) {
                names.add(XZ_FILTER_NAMES[bit]);
            }
        }
        return names;
    }

    public boolean exportable() {
        return exportTableStart >= 0;
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** Whether data blocks are compressed (mksquashfs' {@code -noD} clears this). */
    public boolean dataCompressed() {
        return !hasFlag(SuperblockFlags.UNCOMPRESSED_DATA);
    }
}
