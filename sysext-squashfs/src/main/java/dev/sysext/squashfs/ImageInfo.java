package dev.sysext.squashfs;

import dev.sysext.squashfs.internal.format.SuperblockFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * Superblock-level facts about an image: compressor and its settings, sizes, counts, flags.
 *
 * @param compressor the compressor and its settings: those of the compressor options block, or
 *     mksquashfs' defaults when the image has none
 * @param compressorOptionsStored whether the image carries a compressor options block
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
        CompressorConfig compressor,
        boolean compressorOptionsStored,
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

    /** The compressor's algorithm; short for {@code compressor().compression()}. */
    public Compression compression() {
        return compressor.compression();
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
