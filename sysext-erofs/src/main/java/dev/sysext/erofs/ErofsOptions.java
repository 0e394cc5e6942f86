package dev.sysext.erofs;

import java.util.OptionalLong;
import java.util.UUID;

/**
 * How {@link ErofsWriter} builds an image.
 *
 * @param compression the compressor of regular files larger than one block
 * @param mkfsTime the superblock's build time in seconds since the epoch; inodes whose mtime equals
 *     it are stored compact (32 bytes), others extended (64 bytes)
 * @param fixedInodeTime when present, every inode's mtime (as {@code SOURCE_DATE_EPOCH} does)
 * @param allRoot store every entry as owned by 0:0
 * @param xattrs store extended attributes (otherwise they are dropped)
 * @param uuid the volume UUID; all zeros by default, as the sysext-bakery passes to mkfs.erofs
 * @param threads how many threads compress (1 or more); the image is the same for any number
 */
public record ErofsOptions(ErofsCompression compression, long mkfsTime, OptionalLong fixedInodeTime, boolean allRoot,
        boolean xattrs, UUID uuid, int threads) {

    /** The all-zero UUID. */
    public static final UUID ZERO_UUID = new UUID(0, 0);

    public ErofsOptions {
        if (compression == null || fixedInodeTime == null || uuid == null) {
            throw new IllegalArgumentException("compression, fixedInodeTime and uuid must be given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " is not a positive number");
        }
        if (mkfsTime < 0) {
            throw new IllegalArgumentException("mkfs time " + mkfsTime + " is before 1970");
        }
        if (fixedInodeTime.isPresent() && fixedInodeTime.getAsLong() < 0) {
            throw new IllegalArgumentException("inode time " + fixedInodeTime.getAsLong() + " is before 1970");
        }
    }

    /** No compression, build time {@code mkfsTime}, owners and xattrs kept, the zero UUID, one thread. */
    public static ErofsOptions of(long mkfsTime) {
        return new ErofsOptions(ErofsCompression.NONE, mkfsTime, OptionalLong.empty(), false, true, ZERO_UUID, 1);
    }

    /** A copy that compresses with {@code n} threads. */
    public ErofsOptions withThreads(int n) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, allRoot, xattrs, uuid, n);
    }

    /** A copy with another compressor. */
    public ErofsOptions withCompression(ErofsCompression c) {
        return new ErofsOptions(c, mkfsTime, fixedInodeTime, allRoot, xattrs, uuid, threads);
    }

    /** A copy with every entry owned by root, or not. */
    public ErofsOptions withAllRoot(boolean root) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, root, xattrs, uuid, threads);
    }

    /** A copy with every inode's mtime set to {@code time}, or kept when empty. */
    public ErofsOptions withFixedInodeTime(OptionalLong time) {
        return new ErofsOptions(compression, mkfsTime, time, allRoot, xattrs, uuid, threads);
    }

    /** A copy that stores extended attributes, or drops them. */
    public ErofsOptions withXattrs(boolean keep) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, allRoot, keep, uuid, threads);
    }
}
