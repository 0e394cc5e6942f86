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
 * @param xattrTolerance an xattr (name and value) that more inodes than this carry is stored once, in
 *     the shared xattr area, and the inodes refer to it; the others stay inline in their inode. 2 by
 *     default, as {@code mkfs.erofs -x}; {@link #NO_SHARED_XATTRS} keeps every xattr inline
 */
public record ErofsOptions(ErofsCompression compression, long mkfsTime, OptionalLong fixedInodeTime, boolean allRoot,
        boolean xattrs, UUID uuid, int threads, int xattrTolerance) {

    /** The all-zero UUID. */
    public static final UUID ZERO_UUID = new UUID(0, 0);

    /** mkfs.erofs' default xattr tolerance: xattrs on three or more inodes are shared. */
    public static final int DEFAULT_XATTR_TOLERANCE = 2;

    /** The xattr tolerance that shares no xattr (mkfs.erofs' INT_MAX). */
    public static final int NO_SHARED_XATTRS = Integer.MAX_VALUE;

    public ErofsOptions {
        if (compression == null || fixedInodeTime == null || uuid == null) {
            throw new IllegalArgumentException("compression, fixedInodeTime and uuid must be given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads + " is not a positive number");
        }
        if (xattrTolerance < 0) {
            throw new IllegalArgumentException("xattr tolerance " + xattrTolerance
                    + " is negative (to drop xattrs, use withXattrs(false))");
        }
        if (mkfsTime < 0) {
            throw new IllegalArgumentException("mkfs time " + mkfsTime + " is before 1970");
        }
        if (fixedInodeTime.isPresent() && fixedInodeTime.getAsLong() < 0) {
            throw new IllegalArgumentException("inode time " + fixedInodeTime.getAsLong() + " is before 1970");
        }
    }

    /**
     * No compression, build time {@code mkfsTime}, owners and xattrs kept, the zero UUID, one thread,
     * xattrs on more than two inodes shared.
     */
    public static ErofsOptions of(long mkfsTime) {
        return new ErofsOptions(ErofsCompression.NONE, mkfsTime, OptionalLong.empty(), false, true, ZERO_UUID, 1, DEFAULT_XATTR_TOLERANCE);
    }

    /** A copy that compresses with {@code n} threads. */
    public ErofsOptions withThreads(int n) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, allRoot, xattrs, uuid, n, xattrTolerance);
    }

    /** A copy with another compressor. */
    public ErofsOptions withCompression(ErofsCompression c) {
        return new ErofsOptions(c, mkfsTime, fixedInodeTime, allRoot, xattrs, uuid, threads, xattrTolerance);
    }

    /** A copy with every entry owned by root, or not. */
    public ErofsOptions withAllRoot(boolean root) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, root, xattrs, uuid, threads, xattrTolerance);
    }

    /** A copy with every inode's mtime set to {@code time}, or kept when empty. */
    public ErofsOptions withFixedInodeTime(OptionalLong time) {
        return new ErofsOptions(compression, mkfsTime, time, allRoot, xattrs, uuid, threads, xattrTolerance);
    }

    /** A copy that stores extended attributes, or drops them. */
    public ErofsOptions withXattrs(boolean keep) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, allRoot, keep, uuid, threads, xattrTolerance);
    }

    /**
     * A copy that shares xattrs found on more than {@code tolerance} inodes
     * ({@link #NO_SHARED_XATTRS}: none).
     */
    public ErofsOptions withXattrTolerance(int tolerance) {
        return new ErofsOptions(compression, mkfsTime, fixedInodeTime, allRoot, xattrs, uuid, threads, tolerance);
    }
}
