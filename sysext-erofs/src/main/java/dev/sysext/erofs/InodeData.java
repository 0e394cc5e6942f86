package dev.sysext.erofs;

import java.io.IOException;

/**
 * Random access to the bytes of a regular file, or of the packed inode that holds fragments:
 * uncompressed (FLAT_PLAIN, FLAT_INLINE: whole blocks from the data area, the tail after the inode)
 * or lz4-compressed with full or compact indexes ({@link ZMap}). The last decoded extent is kept, so
 * reading a file front to back decodes each extent once.
 */
final class InodeData {
    /** Finds the packed inode when a fragment needs it. */
    interface Packed {
        InodeData get() throws IOException;
    }

    private static final int BLOCK = ImageChannel.BLOCK;

    private final ImageChannel image;
    private final ErofsImage.Inode inode;
    private final boolean zeroPadding;
    private final Packed packed;
    private final ZMap map;
    private long cachedStart = -1;
    private byte[] cached;

    /**
     * @param zeroPadding the superblock's lz4 zero padding feature (compressed data ends at its cluster's end)
     * @param packed the packed inode, or null where fragments may not be (in the packed inode itself)
     */
    InodeData(ImageChannel image, ErofsImage.Inode inode, boolean zeroPadding, Packed packed) throws IOException {
        this.image = image;
        this.inode = inode;
        this.zeroPadding = zeroPadding;
        this.packed = packed;
        if (inode.size() < 0) {
            throw image.error("inode " + inode.nid() + " at " + inode.position() + ": negative size");
        }
        switch (inode.layout()) {
            case 0, 2 -> {
                this.map = null;
                long whole = whole();
                if (whole > 0 && (inode.rawBlock() * BLOCK > image.size() - whole || whole > image.size())) {
                    throw image.error("inode " + inode.nid() + " at " + inode.position() + ": " + whole
                            + " bytes of data from block " + inode.rawBlock() + " lie beyond the image's end at "
                            + image.size());
                }
            }
            case 1, 3 -> this.map = new ZMap(image, inode, packed != null);
            default -> throw image.error("inode " + inode.nid() + " at " + inode.position() + ": data layout "
                    + inode.layout() + (inode.layout() == 4 ? " (chunk-based, mkfs.erofs --chunksize)" : "")
                    + " is not read");
        }
    }

    long size() {
        return inode.size();
    }

    private long whole() {
        return inode.layout() == 2 ? inode.size() / BLOCK * BLOCK : inode.size();
    }

    /**
     * Fills {@code dst[off, off + len)} with the file's bytes from {@code pos} on. Synchronized: the
     * packed inode's reader serves every open file of the image, and its cached extent must not tear.
     */
    synchronized void read(long pos, byte[] dst, int off, int len) throws IOException {
        if (pos < 0 || len < 0 || pos > inode.size() - len) {
            throw image.error("inode " + inode.nid() + " at " + inode.position() + ": bytes " + pos + " to "
                    + (pos + len) + " of a file of " + inode.size());
        }
        if (map == null) {
            readFlat(pos, dst, off, len);
            return;
        }
        while (len > 0) {
            if (cached == null || pos < cachedStart || pos >= cachedStart + cached.length) {
                ZMap.Extent e = map.map(pos);
                if (e.storage() == ZMap.Storage.FRAGMENT) {
                    int n = (int) Math.min(len, e.end() - pos);
                    fragment(e, pos, dst, off, n);
                    pos += n;
                    off += n;
                    len -= n;
                    continue;
                }
                cached = null;
                cached = decode(e);
                cachedStart = e.start();
            }
            int n = (int) Math.min(len, cachedStart + cached.length - pos);
            System.arraycopy(cached, (int) (pos - cachedStart), dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    private void fragment(ZMap.Extent e, long pos, byte[] dst, int off, int len) throws IOException {
        InodeData p = packed == null ? null : packed.get();
        if (p == null) {
            throw image.error("inode " + inode.nid() + " at " + inode.position()
                    + ": a fragment, but the image has no packed inode");
        }
        long at = e.address() + (pos - e.start());
        if (at < 0 || at > p.size() - len) {
            throw image.error("inode " + inode.nid() + " at " + inode.position() + ": its fragment at " + e.address()
                    + " lies beyond the packed inode's " + p.size() + " bytes");
        }
        p.read(at, dst, off, len);
    }

    private void readFlat(long pos, byte[] dst, int off, int len) throws IOException {
        long whole = whole();
        if (pos < whole) {
            int n = (int) Math.min(len, whole - pos);
            image.readInto(inode.rawBlock() * BLOCK + pos, dst, off, n, "data of inode " + inode.nid());
            pos += n;
            off += n;
            len -= n;
        }
        if (len > 0) {
            long at = inode.position() + inode.inodeSize() + inode.xattrSize();
            if (at % BLOCK + (inode.size() - whole) > BLOCK) {
                throw image.error("inode " + inode.nid() + " at " + inode.position()
                        + ": its inline data crosses a block boundary");
            }
            image.readInto(at + (pos - whole), dst, off, len, "inline data of inode " + inode.nid());
        }
    }

    private byte[] decode(ZMap.Extent e) throws IOException {
        int length = (int) (e.end() - e.start());
        String what = (e.storage() == ZMap.Storage.INLINE ? "packed tail" : "physical cluster") + " of inode "
                + inode.nid();
        byte[] raw = new byte[e.length()];
        image.readInto(e.address(), raw, 0, raw.length, what);
        String where = "inode " + inode.nid() + " at " + inode.position() + ", " + what + " at " + e.address()
                + " (file offset " + e.start() + ")";
        if (e.plain()) {
            if (!e.interlaced()) {
                return java.util.Arrays.copyOf(raw, length);
            }
            // Interlaced: the extent's first bytes up to its block's end lie at the cluster's end, the rest from its start.
            byte[] out = new byte[length];
            int first = (int) Math.min(length, BLOCK - e.start() % BLOCK);
            int from = raw.length - (int) (BLOCK - e.start() % BLOCK);
            if (from < 0) {
                throw image.error(where + ": an interlaced uncompressed cluster of " + raw.length + " bytes");
            }
            System.arraycopy(raw, from, out, 0, first);
            System.arraycopy(raw, 0, out, first, length - first);
            return out;
        }
        if (e.algorithm() != 0) {
            String name = switch (e.algorithm()) {
                case 1 -> "lzma";
                case 2 -> "deflate";
                case 3 -> "zstd";
                default -> "number " + e.algorithm();
            };
            throw image.error(where + ": compression algorithm " + name + " (only lz4 is read)");
        }
        int start = 0;
        if (zeroPadding) {
            // The compressed bytes end at the cluster's end; zeros pad its start.
            while (start < raw.length && raw[start] == 0) {
                start++;
            }
        }
        byte[] out = new byte[length];
        try {
            Lz4Block.decode(raw, start, raw.length, out);
        } catch (Lz4Block.Problem p) {
            throw image.error(where + ": " + p.getMessage());
        }
        return out;
    }
}
