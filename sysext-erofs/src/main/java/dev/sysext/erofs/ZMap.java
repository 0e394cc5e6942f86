package dev.sysext.erofs;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the extents of a compressed inode lie, as the kernel's fs/erofs/zmap.c finds them. The file
 * is cut into 4 KiB logical clusters (lclusters), each with an index: HEAD1/HEAD2 (a compressed
 * extent starts in it at its cluster offset), PLAIN (an uncompressed extent starts there) or NONHEAD
 * (it continues the extent before). An extent runs from its head to the next head. Indexes come in
 * the full layout (8 bytes each after a 16-byte header) or the compact one (mkfs.erofs' default):
 * packs of 2 lclusters in 8 bytes or 16 in 32 bytes, each pack ending with the block address of its
 * first head, from which the other heads' blocks are counted. With big physical clusters the
 * NONHEAD index after a head holds the cluster's block count (CBLKCNT). The file's last extent may
 * lie inline after the indexes (ztailpacking) or in the packed inode (fragments).
 */
final class ZMap {
    static final int PLAIN = 0;
    static final int HEAD1 = 1;
    static final int NONHEAD = 2;
    static final int HEAD2 = 3;
    private static final int LCLUSTER = ImageChannel.BLOCK;
    private static final int LCLUSTER_BITS = 12;
    private static final int ADVISE_COMPACTED_2B = 0x1;
    private static final int ADVISE_BIG_PCLUSTER_1 = 0x2;
    private static final int ADVISE_BIG_PCLUSTER_2 = 0x4;
    private static final int ADVISE_INLINE_PCLUSTER = 0x8;
    private static final int ADVISE_INTERLACED_PCLUSTER = 0x10;
    private static final int ADVISE_FRAGMENT_PCLUSTER = 0x20;
    private static final int ADVISE_KNOWN = 0x3F;
    private static final int D0_CBLKCNT = 1 << 11;
    /** The longest extent decoded; the kernel takes up to 12 MiB, mkfs.erofs and our writer stay under 1 MiB. */
    static final int MAX_EXTENT = 16 << 20;
    private static final int MAX_PCLUSTER_BLOCKS = (1 << 20) / ImageChannel.BLOCK;

    /** Where an extent's stored bytes are. */
    enum Storage { BLOCKS, INLINE, FRAGMENT }

    /**
     * One extent: file bytes {@code [start, end)}, stored at {@code address} ({@code length} bytes) in
     * the image, or from {@code address} on in the packed inode for a fragment.
     */
    record Extent(long start, long end, Storage storage, long address, int length, boolean plain,
            boolean interlaced, int algorithm) {
    }

    /** A decoded index: its type, cluster offset (heads), block address (heads), block count (CBLKCNT, else -1). */
    private record Lcluster(long lcn, int type, int clusterOfs, long block, int blocks, long nextPack) {
    }

    private final ImageChannel image;
    private final ErofsImage.Inode inode;
    private final String where;
    private final long size;
    private final long header;
    private final boolean wholeFragment;
    private final long fragmentOffset;
    private final int advise;
    private final int algorithmHead1;
    private final int algorithmHead2;
    private final int inlineSize;
    private final boolean compact;
    private final long indexBase;
    private final long lclusters;
    private final long compact4bInitial;
    private final long compact2b;
    private long tailHead = -1;
    private long inlineOffset;
    private long windowStart = -1;
    private ByteBuffer window;

    ZMap(ImageChannel image, ErofsImage.Inode inode, boolean fragmentsAllowed) throws IOException {
        this.image = image;
        this.inode = inode;
        this.size = inode.size();
        this.where = "inode " + inode.nid() + " at " + inode.position();
        this.header = inode.position() + ((inode.inodeSize() + inode.xattrSize() + 7) & ~7);
        ByteBuffer h = image.readAt(header, 8, "map header of inode " + inode.nid());
        String at = where + ", map header at " + header + ": ";
        int clusterBits = h.get(7) & 0xFF;
        this.compact = inode.layout() == 3;
        // The highest bit of the header says the whole file lies in the packed inode, from the offset in the rest.
        this.wholeFragment = (clusterBits & 0x80) != 0;
        if (wholeFragment) {
            if (!fragmentsAllowed) {
                throw image.error(at + "a fragment where none may be (no packed inode, or within it)");
            }
            this.fragmentOffset = h.getLong(0) & Long.MAX_VALUE;
            this.advise = ADVISE_FRAGMENT_PCLUSTER;
            this.algorithmHead1 = 0;
            this.algorithmHead2 = 0;
            this.inlineSize = 0;
            this.indexBase = 0;
            this.lclusters = 0;
            this.compact4bInitial = 0;
            this.compact2b = 0;
            return;
        }
        this.advise = h.getShort(4) & 0xFFFF;
        this.algorithmHead1 = h.get(6) & 15;
        this.algorithmHead2 = (h.get(6) & 0xFF) >>> 4;
        this.inlineSize = h.getShort(2) & 0xFFFF;
        this.fragmentOffset = Integer.toUnsignedLong(h.getInt(0));
        if ((clusterBits & 7) != 0) {
            throw image.error(at + "logical clusters of 2^" + (LCLUSTER_BITS + (clusterBits & 7))
                    + " bytes (only 4096 is read)");
        }
        if ((advise & ~ADVISE_KNOWN) != 0) {
            throw image.error(at + "unknown advise bits 0x" + Integer.toHexString(advise));
        }
        if ((advise & ADVISE_FRAGMENT_PCLUSTER) != 0 && !fragmentsAllowed) {
            throw image.error(at + "a fragment where none may be (no packed inode, or within it)");
        }
        if (compact && ((advise & ADVISE_BIG_PCLUSTER_1) == 0) != ((advise & ADVISE_BIG_PCLUSTER_2) == 0)) {
            throw image.error(at + "compact indexes with big physical clusters for one head type only");
        }
        this.lclusters = (size + LCLUSTER - 1) / LCLUSTER;
        long bytes;
        if (compact) {
            this.indexBase = header + 8;
            long initial = (32 - indexBase % 32) / 4 % 8;
            this.compact4bInitial = initial;
            this.compact2b = (advise & ADVISE_COMPACTED_2B) != 0 && initial < lclusters
                    ? (lclusters - initial) / 16 * 16 : 0;
            long rest = Math.max(0, lclusters - initial - compact2b);
            bytes = Math.min(initial, lclusters) * 4 + compact2b * 2 + rest * 4;
        } else {
            this.indexBase = header + 16;
            this.compact4bInitial = 0;
            this.compact2b = 0;
            bytes = lclusters * 8;
        }
        if (size < 0 || lclusters > image.size() || indexBase + bytes > image.size()) {
            throw image.error(at + "the indexes of " + lclusters + " logical clusters (file size " + size
                    + ") lie beyond the image's end");
        }
    }

    private ErofsFormatException bad(long lcn, String problem) {
        return image.error(where + ", logical cluster " + lcn + ": " + problem);
    }

    private Lcluster load(long lcn) throws IOException {
        if (lcn < 0 || lcn >= lclusters) {
            throw bad(lcn, "no such index (the file has " + lclusters + ")");
        }
        return compact ? loadCompact(lcn) : loadFull(lcn);
    }

    /** The bytes of index storage from {@code start}: a compact pack, or a window of up to 4 KiB of full indexes. */
    private ByteBuffer window(long start, int len) throws IOException {
        if (start != windowStart || window.limit() < len) {
            window = image.readAt(start, len, "cluster indexes of inode " + inode.nid());
            windowStart = start;
        }
        return window;
    }

    private Lcluster loadFull(long lcn) throws IOException {
        long pos = indexBase + lcn * 8;
        ByteBuffer w;
        if (windowStart >= 0 && pos >= windowStart && pos + 8 <= windowStart + window.limit()) {
            w = window;
        } else {
            w = window(pos, (int) Math.min(LCLUSTER, indexBase + lclusters * 8 - pos));
        }
        ByteBuffer b = w.slice((int) (pos - windowStart), 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int type = b.getShort(0) & 3;
        int clusterOfs = b.getShort(2) & 0xFFFF;
        if (type == NONHEAD) {
            int delta0 = b.getShort(4) & 0xFFFF;
            int blocks = -1;
            if ((delta0 & D0_CBLKCNT) != 0) {
                if ((advise & (ADVISE_BIG_PCLUSTER_1 | ADVISE_BIG_PCLUSTER_2)) == 0) {
                    throw bad(lcn, "a block count without big physical clusters");
                }
                blocks = delta0 & ~D0_CBLKCNT;
            }
            return new Lcluster(lcn, type, LCLUSTER, 0, blocks, pos + 8);
        }
        if (clusterOfs >= LCLUSTER) {
            throw bad(lcn, "cluster offset " + clusterOfs + " is not within the cluster");
        }
        return new Lcluster(lcn, type, clusterOfs, Integer.toUnsignedLong(b.getInt(4)), -1, pos + 8);
    }

    private Lcluster loadCompact(long lcn) throws IOException {
        long pos;
        int shift;
        if (lcn < compact4bInitial) {
            shift = 2;
            pos = indexBase + lcn * 4;
        } else if (lcn - compact4bInitial < compact2b) {
            shift = 1;
            pos = indexBase + compact4bInitial * 4 + (lcn - compact4bInitial) * 2;
        } else {
            shift = 2;
            pos = indexBase + compact4bInitial * 4 + compact2b * 2 + (lcn - compact4bInitial - compact2b) * 4;
        }
        int count = shift == 2 ? 2 : 16;
        int packSize = count << shift;
        long start = pos - Math.floorMod(pos, packSize);
        ByteBuffer p = window(start, packSize);
        int bits = (packSize - 4) * 8 / count;
        int i = (int) (pos - start) >> shift;
        int v = entry(p, bits, i);
        int lo = v & (LCLUSTER - 1);
        int type = v >>> LCLUSTER_BITS & 3;
        boolean big = (advise & ADVISE_BIG_PCLUSTER_1) != 0;
        if (type == NONHEAD) {
            int blocks = -1;
            if ((lo & D0_CBLKCNT) != 0) {
                if (!big) {
                    throw bad(lcn, "a block count without big physical clusters");
                }
                blocks = lo & ~D0_CBLKCNT;
            }
            return new Lcluster(lcn, type, LCLUSTER, 0, blocks, start + packSize);
        }
        // A head's block: the pack's base address plus the blocks of the physical clusters before it in the pack.
        long blocks = 0;
        if (!big) {
            blocks = 1;
            int k = i;
            while (k > 0) {
                k--;
                int w = entry(p, bits, k);
                if ((w >>> LCLUSTER_BITS & 3) == NONHEAD) {
                    k -= w & (LCLUSTER - 1);
                }
                if (k >= 0) {
                    blocks++;
                }
            }
        } else {
            int k = i;
            while (k > 0) {
                k--;
                int w = entry(p, bits, k);
                int wlo = w & (LCLUSTER - 1);
                if ((w >>> LCLUSTER_BITS & 3) == NONHEAD) {
                    if ((wlo & D0_CBLKCNT) != 0) {
                        k--;
                        blocks += wlo & ~D0_CBLKCNT;
                        continue;
                    }
                    if (wlo <= 1) {
                        throw bad(lcn, "a lookback distance of " + wlo + " in a pack with big physical clusters");
                    }
                    k -= wlo - 2;
                    continue;
                }
                blocks++;
            }
        }
        long base = Integer.toUnsignedLong(p.getInt(packSize - 4));
        return new Lcluster(lcn, type, lo, base + blocks, -1, start + packSize);
    }

    /** The {@code i}th index of a compact pack: its low 12 bits and the 2 type bits above them. */
    private static int entry(ByteBuffer p, int bits, int i) {
        int bit = bits * i;
        return p.getInt(bit / 8) >>> (bit & 7);
    }

    /** The head of the extent holding file byte {@code offset}. */
    private Lcluster headOf(long offset) throws IOException {
        long lcn = offset / LCLUSTER;
        Lcluster m = load(lcn);
        if (m.type() != NONHEAD && offset % LCLUSTER >= m.clusterOfs()) {
            return m;
        }
        // Walk back one index at a time: bounded by lcn, and it needs no trust in the stored distances.
        for (long k = lcn - 1; k >= 0; k--) {
            m = load(k);
            if (m.type() != NONHEAD) {
                return m;
            }
        }
        throw bad(lcn, "no head before file offset " + offset);
    }

    /** The head lcluster of the file's last extent; the inline tail's address is right after its index pack. */
    private long tailHead() throws IOException {
        if (tailHead < 0) {
            if (size == 0) {
                throw image.error(where + ": an empty file with a packed tail");
            }
            inlineOffset = load(lclusters - 1).nextPack();
            tailHead = headOf(size - 1).lcn();
        }
        return tailHead;
    }

    /** The extent holding file byte {@code offset} ({@code 0 <= offset < size}). */
    Extent map(long offset) throws IOException {
        boolean fragment = (advise & ADVISE_FRAGMENT_PCLUSTER) != 0;
        if (wholeFragment || fragment && tailHead() == 0) {
            return new Extent(0, size, Storage.FRAGMENT, fragmentOffset, 0, false, false, 0);
        }
        Lcluster head = headOf(offset);
        long start = head.lcn() * LCLUSTER + head.clusterOfs();
        long end = size;
        for (long m = head.lcn() + 1; m < lclusters; m++) {
            if ((m - head.lcn()) * LCLUSTER > MAX_EXTENT + LCLUSTER) {
                throw bad(head.lcn(), "an extent longer than " + MAX_EXTENT + " bytes (this reader's limit)");
            }
            Lcluster next = load(m);
            if (next.type() != NONHEAD) {
                end = m * LCLUSTER + next.clusterOfs();
                break;
            }
        }
        end = Math.min(end, size);
        if (end <= offset || end - start > MAX_EXTENT) {
            throw bad(head.lcn(), "the extent from file offset " + start + " to " + end + " does not hold offset "
                    + offset + " or is longer than " + MAX_EXTENT + " bytes");
        }
        boolean plain = head.type() == PLAIN;
        boolean interlaced = plain && (advise & ADVISE_INTERLACED_PCLUSTER) != 0;
        int algorithm = head.type() == HEAD2 ? algorithmHead2 : algorithmHead1;
        boolean inline = (advise & ADVISE_INLINE_PCLUSTER) != 0;
        if ((inline || fragment) && head.lcn() == tailHead()) {
            if (inline) {
                if (inlineSize == 0 || inlineOffset % ImageChannel.BLOCK + inlineSize > ImageChannel.BLOCK) {
                    throw bad(head.lcn(), "the packed tail of " + inlineSize + " bytes at " + inlineOffset
                            + " does not fit its block");
                }
                return checked(new Extent(start, end, Storage.INLINE, inlineOffset, inlineSize, plain, interlaced,
                        algorithm), head);
            }
            return new Extent(start, end, Storage.FRAGMENT, fragmentOffset, 0, false, false, 0);
        }
        int blocks = 1;
        boolean big = (advise & (head.type() == HEAD2 ? ADVISE_BIG_PCLUSTER_2 : ADVISE_BIG_PCLUSTER_1)) != 0;
        if (!plain && big && head.lcn() + 1 < lclusters) {
            Lcluster next = load(head.lcn() + 1);
            if (next.type() == NONHEAD) {
                if (next.blocks() < 0) {
                    throw bad(head.lcn() + 1, "no block count after the head of a big physical cluster");
                }
                blocks = next.blocks();
            }
        }
        if (blocks < 1 || blocks > MAX_PCLUSTER_BLOCKS) {
            throw bad(head.lcn(), "a physical cluster of " + blocks + " blocks");
        }
        return checked(new Extent(start, end, Storage.BLOCKS, head.block() * ImageChannel.BLOCK,
                blocks * ImageChannel.BLOCK, plain, interlaced, algorithm), head);
    }

    private Extent checked(Extent e, Lcluster head) throws ErofsFormatException {
        if (e.plain() && e.end() - e.start() > e.length()) {
            throw bad(head.lcn(), "an uncompressed extent of " + (e.end() - e.start()) + " bytes in " + e.length()
                    + " stored bytes");
        }
        if (e.address() < 0 || e.address() > image.size() - e.length()) {
            throw bad(head.lcn(), "the physical cluster at " + e.address() + " (" + e.length()
                    + " bytes) lies beyond the image's end at " + image.size());
        }
        return e;
    }
}
