package dev.sysext.erofs;

import java.io.IOException;

/**
 * Random access to the bytes of a regular file, or of the packed inode that holds fragments:
 * uncompressed (FLAT_PLAIN, FLAT_INLINE: whole blocks from the data area, the tail after the inode;
 * CHUNK_BASED: an index of chunk addresses) or lz4-compressed with full or compact indexes ({@link ZMap}). The last decoded extent is kept, so
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
    private final int deviceMask;
    private final Packed packed;
    private final ZMap map;
    private long cachedStart = -1;
    private byte[] cached;

    /**
     * @param zeroPadding the superblock's lz4 zero padding feature (compressed data ends at its cluster's end)
     * @param extraDevices the superblock's count of extra devices (blobs for chunks), usually 0
     * @param packed the packed inode, or null where fragments may not be (in the packed inode itself)
     */
    InodeData(ImageChannel image, ErofsImage.Inode inode, boolean zeroPadding, int extraDevices, Packed packed)
            throws IOException {
        this.image = image;
        this.inode = inode;
        this.zeroPadding = zeroPadding;
        this.deviceMask = extraDevices == 0 ? 0 : Integer.highestOneBit(extraDevices) * 2 - 1;
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
            case 4 -> {
                this.map = null;
                chunks(); // checks the chunk format and that the index fits the image
            }
            default -> throw image.error("inode " + inode.nid() + " at " + inode.position() + ": data layout "
                    + inode.layout() + " is not read");
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
        if (inode.layout() == 4) {
            readChunks(pos, dst, off, len);
            return;
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

    /** A chunk-based file's chunk size (bits) and index: its position, entry size and entry count. */
    private record Chunks(int bits, long index, int unit, long count) {
    }

    /**
     * CHUNK_BASED (mkfs.erofs --chunksize): the file is cut into chunks of a power-of-two number of
     * blocks (i_u's low 5 bits); after the inode and its xattrs lies one entry per chunk, a 4-byte
     * block address, or with the INDEXES format bit an 8-byte index (high block bits, device id,
     * block address) aligned to 8. The address -1 is a hole (zeros).
     */
    private Chunks chunks() throws ErofsFormatException {
        int format = (int) (inode.rawBlock() & 0xFFFF);
        String where = "inode " + inode.nid() + " at " + inode.position() + ": ";
        if ((format & ~0x3F) != 0) {
            throw image.error(where + "unknown chunk format bits 0x" + Integer.toHexString(format));
        }
        int bits = 12 + (format & 0x1F);
        int unit = (format & 0x20) != 0 ? 8 : 4;
        long index = inode.position() + inode.inodeSize() + inode.xattrSize();
        index = (index + unit - 1) / unit * unit;
        long count = bits >= 63 ? 1 : (inode.size() + (1L << bits) - 1) >>> bits;
        if (count > image.size() / unit || index > image.size() - count * unit) {
            throw image.error(where + "the index of " + count + " chunks lies beyond the image's end");
        }
        return new Chunks(bits, index, unit, count);
    }

    private void readChunks(long pos, byte[] dst, int off, int len) throws IOException {
        Chunks c = chunks();
        while (len > 0) {
            long chunk = pos >>> c.bits();
            long within = pos - (chunk << c.bits());
            int n = (int) Math.min(len, (1L << c.bits()) - within);
            java.nio.ByteBuffer e = image.readAt(c.index() + chunk * c.unit(), c.unit(),
                    "chunk index of inode " + inode.nid());
            int address = e.getInt(c.unit() == 8 ? 4 : 0);
            // As the kernel does, the device id counts only as far as the image has extra devices.
            int device = c.unit() == 8 ? e.getShort(2) & 0xFFFF & deviceMask : 0;
            if (device != 0) {
                throw image.error("inode " + inode.nid() + " at " + inode.position() + ": chunk " + chunk
                        + " lies on extra device " + device + " (not read)");
            }
            long block = address == -1 ? -1 : Integer.toUnsignedLong(address);
            if (block < 0) {
                java.util.Arrays.fill(dst, off, off + n, (byte) 0);
            } else {
                image.readInto(block * BLOCK + within, dst, off, n, "chunk " + chunk + " of inode " + inode.nid());
            }
            pos += n;
            off += n;
            len -= n;
        }
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
