package dev.sysext.erofs;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What an EROFS image's superblock (128 bytes at offset 1024) says, decoded: {@link ErofsImage#info()}.
 * The names of feature bits and compression algorithms are those of the kernel's on-disk format
 * ({@code fs/erofs/erofs_fs.h}) as erofs-utils' {@code dump.erofs} prints them, except that
 * {@code dump.erofs}' {@code 0padding} is called {@code lz4_0padding} here, as in erofs-utils' sources.
 *
 * @param blockSize the block size in bytes ({@code 1 << blkszbits})
 * @param blocks the image's size in blocks, as {@code statfs} reports it
 * @param buildTime the build time, seconds since the epoch; compact inodes' mtimes count from it
 * @param buildTimeNanos the nanoseconds of the build time
 * @param uuid the volume UUID (all zeros in sysext-bakery images)
 * @param volumeName the volume name ({@code mkfs.erofs -L}), empty when none is set
 * @param inodeCount the number of inodes
 * @param rootNid the root directory's nid
 * @param metaBlockAddress the block where inodes start (nid 0)
 * @param xattrBlockAddress the block where the shared xattr area starts
 * @param featureCompat the {@code feature_compat} bits (see {@link #compatFeatureNames()})
 * @param featureIncompat the {@code feature_incompat} bits (see {@link #incompatFeatureNames()})
 * @param availableCompressors the compression algorithms the image may use, bit {@code 1 << n}
 *     for algorithm {@code n} (see {@link #compressorNames()}): the superblock's
 *     {@code available_compr_algs} when {@code compr_cfgs} is set; without it the superblock names
 *     none and lz4 is the only one an image can use, so lz4 when the image shows signs of it
 *     ({@code lz4_0padding} or an lz4 maximum distance), else 0
 * @param lz4MaxDistance the lz4 sliding window of an image without {@code compr_cfgs}
 *     ({@code lz4_max_distance}; 0 leaves the kernel's default of 64 KiB); 0 with {@code compr_cfgs},
 *     whose lz4 settings follow the superblock
 * @param packedNid the nid of the packed inode that holds fragments ({@code fragments}), empty when the
 *     image has none
 * @param extraDevices the number of devices besides the image itself ({@code device_table})
 */
public record ErofsInfo(int blockSize, long blocks, long buildTime, int buildTimeNanos, UUID uuid,
        Optional<String> volumeName, long inodeCount, long rootNid, long metaBlockAddress, long xattrBlockAddress,
        int featureCompat, int featureIncompat, int availableCompressors, int lz4MaxDistance, OptionalLong packedNid,
        int extraDevices) {

    /** Names of the feature_compat bits, lowest first. */
    private static final String[][] COMPAT_NAMES = {
        {"sb_csum"}, {"mtime"}, {"xattr_filter"}, {"shared_ea_in_metabox"}, {"plain_xattr_pfx"}};
    /** Names of the feature_incompat bits, lowest first; some bits have two meanings and two names. */
    private static final String[][] INCOMPAT_NAMES = {
        {"lz4_0padding"}, {"compr_cfgs", "big_pcluster"}, {"chunked_file"}, {"device_table", "compr_head2"},
        {"ztailpacking"}, {"fragments", "dedupe"}, {"xattr_prefixes"}};
    /** Compression algorithm numbers 0..3 (h_algorithmtype). */
    private static final String[][] COMPRESSOR_NAMES = {{"lz4"}, {"lzma"}, {"deflate"}, {"zstd"}};

    public ErofsInfo {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(packedNid, "packedNid");
    }

    /**
     * The names of the set {@code feature_compat} bits, lowest bit first; a bit without a name as
     * {@code compat:0x...}.
     */
    public List<String> compatFeatureNames() {
        return names(featureCompat, COMPAT_NAMES, "compat:");
    }

    /**
     * The names of the set {@code feature_incompat} bits, lowest bit first, a bit with two meanings
     * under both names ({@code compr_cfgs big_pcluster}); a bit without a name as {@code incompat:0x...}.
     */
    public List<String> incompatFeatureNames() {
        return names(featureIncompat, INCOMPAT_NAMES, "incompat:");
    }

    /** {@link #compatFeatureNames()} followed by {@link #incompatFeatureNames()}. */
    public List<String> featureNames() {
        List<String> all = new ArrayList<>(compatFeatureNames());
        all.addAll(incompatFeatureNames());
        return List.copyOf(all);
    }

    /**
     * The names of {@link #availableCompressors()}: {@code lz4}, {@code lzma}, {@code deflate},
     * {@code zstd}, an unknown bit as {@code 0x...}; empty for an image that compresses nothing.
     */
    public List<String> compressorNames() {
        return names(availableCompressors, COMPRESSOR_NAMES, "");
    }

    /** The build time as an instant, empty when it lies beyond what {@link Instant} holds. */
    public Optional<Instant> buildInstant() {
        try {
            return Optional.of(Instant.ofEpochSecond(buildTime, buildTimeNanos));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static List<String> names(int bits, String[][] names, String unknownPrefix) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((bits & 1 << bit) == 0) {
                continue;
            }
            if (bit < names.length) {
                out.addAll(List.of(names[bit]));
            } else {
                out.add(unknownPrefix + "0x" + Integer.toHexString(1 << bit));
            }
        }
        return List.copyOf(out);
    }
}
