package dev.sysext.erofs;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Lists the entries of an EROFS image with 4 KiB blocks: superblock, compact and extended inodes,
 * plain and inline directories and symlinks, and file content ({@link #open}); xattrs are not read (yet). Defensive:
 * every offset is checked against the image, directories may not loop, and a bad image gives an
 * {@link ErofsFormatException} naming the structure and offset, never a hang or a huge allocation.
 *
 * <p>Entries use the entry module's {@link ImageEntry} so that listings of both formats compare;
 * {@code inodeNumber} is the nid + 1 and {@code inodeReference} the nid.
 */
public final class ErofsImage implements ImageReader {
    private static final int BLOCK = 4096;
    private static final int MAX_DEPTH = 4096;
    private static final int CHUNK = 1 << 20;
    /** The longest extent decoded; the kernel takes up to 12 MiB, mkfs.erofs and our writer stay under 1 MiB. */
    private static final int MAX_EXTENT = 16 << 20;
    private static final int MAX_PCLUSTER = 1 << 20;
    private static final int ADVISE_BIG_PCLUSTER_1 = 0x2;
    private static final int ADVISE_INLINE_PCLUSTER = 0x8;
    private static final int LCLUSTER_PLAIN = 0;
    private static final int LCLUSTER_NONHEAD = 2;
    private static final int D0_CBLKCNT = 1 << 11;
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    private final FileChannel channel;
    private final long size;
    private final long metaBase;
    private final int rootNid;
    private final String name;
    private final Path path;
    private final boolean zeroPadding;

    private ErofsImage(FileChannel channel, String name, Path path) throws IOException {
        this.channel = channel;
        this.path = path;
        this.name = name;
        this.size = channel.size();
        ByteBuffer sb = readAt(1024, 128, "superblock");
        if (sb.getInt(0) != 0xE0F5E1E2) {
            throw new ErofsFormatException(name + ": no EROFS superblock at offset 1024 (magic "
                    + String.format("0x%08X", sb.getInt(0)) + ")");
        }
        int blkszbits = sb.get(12) & 0xFF;
        if (blkszbits != 12) {
            throw new ErofsFormatException(name + ": superblock at 1024: block size 2^" + blkszbits
                    + " (only 4096-byte blocks are read)");
        }
        this.rootNid = sb.getShort(14) & 0xFFFF;
        this.zeroPadding = (sb.getInt(80) & 1) != 0;
        this.metaBase = Integer.toUnsignedLong(sb.getInt(40)) * BLOCK;
        if (metaBase >= size) {
            throw new ErofsFormatException(name + ": superblock at 1024: metadata block " + metaBase / BLOCK
                    + " lies beyond the image's end");
        }
    }

    /** Opens an image and checks its superblock. */
    public static ErofsImage open(Path image) throws IOException {
        FileChannel ch = FileChannel.open(image, StandardOpenOption.READ);
        try {
            return new ErofsImage(ch, image.toString(), image);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Every entry, parents before children, each directory's entries in name order (as stored). */
    public List<ImageEntry> entries() throws IOException {
        List<ImageEntry> out = new ArrayList<>();
        Set<Long> dirs = new HashSet<>();
        walk(rootNid, "", out, dirs, 0);
        return out;
    }

    private record Inode(long nid, int mode, long size, long uid, long gid, long mtime, long nlink, int layout,
            long rawBlock, int inodeSize, int xattrSize, long position) {
        ImageEntryType type(String image) throws ErofsFormatException {
            return switch (mode & 0170000) {
                case 0040000 -> ImageEntryType.DIRECTORY;
                case 0100000 -> ImageEntryType.FILE;
                case 0120000 -> ImageEntryType.SYMLINK;
                case 0060000 -> ImageEntryType.BLOCK_DEVICE;
                case 0020000 -> ImageEntryType.CHAR_DEVICE;
                case 0010000 -> ImageEntryType.FIFO;
                case 0140000 -> ImageEntryType.SOCKET;
                default -> throw new ErofsFormatException(image + ": inode " + nid + " at " + position + ": unknown file type "
                        + Integer.toOctalString(mode & 0170000));
            };
        }
    }

    private long buildTime() throws IOException {
        return readAt(1024 + 24, 8, "superblock").getLong(0);
    }

    private Inode inode(long nid) throws IOException {
        if (nid < 0 || nid > (size - metaBase) / 32) {
            throw new ErofsFormatException(name + ": inode " + nid + " lies beyond the image's end");
        }
        long pos = metaBase + nid * 32;
        ByteBuffer b = readAt(pos, 32, "inode " + nid);
        int format = b.getShort(0) & 0xFFFF;
        int icount = b.getShort(2) & 0xFFFF;
        int mode = b.getShort(4) & 0xFFFF;
        int xattrSize = icount == 0 ? 0 : 12 + (icount - 1) * 4;
        int layout = format >> 1 & 7;
        if ((format & 1) == 0) {
            return new Inode(nid, mode, Integer.toUnsignedLong(b.getInt(8)), b.getShort(24) & 0xFFFF,
                    b.getShort(26) & 0xFFFF, buildTime(), b.getShort(6) & 0xFFFF, layout,
                    Integer.toUnsignedLong(b.getInt(16)), 32, xattrSize, pos);
        }
        ByteBuffer e = readAt(pos, 64, "inode " + nid);
        return new Inode(nid, mode, e.getLong(8), Integer.toUnsignedLong(e.getInt(24)),
                Integer.toUnsignedLong(e.getInt(28)), e.getLong(32), Integer.toUnsignedLong(e.getInt(44)), layout,
                Integer.toUnsignedLong(e.getInt(16)), 64, xattrSize, pos);
    }

    /** The content of an uncompressed inode (a directory or a symlink): whole blocks, then the inline tail. */
    private byte[] flatContent(Inode n, long limit) throws IOException {
        if (n.layout() != 0 && n.layout() != 2) {
            throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + ": layout "
                    + n.layout() + " is not read here (only uncompressed directories and symlinks)");
        }
        if (n.size() < 0 || n.size() > limit || n.size() > size) {
            throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + ": size "
                    + n.size() + " is out of range");
        }
        byte[] out = new byte[(int) n.size()];
        long whole = n.layout() == 2 ? n.size() / BLOCK * BLOCK : n.size();
        if (whole > 0) {
            readAt(n.rawBlock() * BLOCK, (int) whole, "data of inode " + n.nid()).get(out, 0, (int) whole);
        }
        int tail = (int) (n.size() - whole);
        if (tail > 0) {
            long at = n.position() + n.inodeSize() + n.xattrSize();
            if (at % BLOCK + tail > BLOCK) {
                throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position()
                        + ": its inline data crosses a block boundary");
            }
            readAt(at, tail, "inline data of inode " + n.nid()).get(out, (int) whole, tail);
        }
        return out;
    }

    private void walk(long nid, String path, List<ImageEntry> out, Set<Long> dirs, int depth)
            throws IOException {
        Inode n = inode(nid);
        ImageEntryType type = n.type(name);
        String target = type == ImageEntryType.SYMLINK ? new String(flatContent(n, BLOCK), StandardCharsets.UTF_8) : null;
        int major = 0;
        int minor = 0;
        if (type == ImageEntryType.BLOCK_DEVICE || type == ImageEntryType.CHAR_DEVICE) {
            int rdev = (int) n.rawBlock();
            major = (rdev >>> 8) & 0xFFF;
            minor = (rdev & 0xFF) | ((rdev >>> 12) & 0xFFF00);
        }
        out.add(new ImageEntry(path, type, n.mode() & 07777, n.uid(), n.gid(), n.mtime(),
                type == ImageEntryType.DIRECTORY || type == ImageEntryType.FILE || type == ImageEntryType.SYMLINK ? n.size() : 0,
                n.nlink(), nid + 1, target, major, minor, List.of(), nid));
        if (type != ImageEntryType.DIRECTORY) {
            return;
        }
        if (!dirs.add(nid) || depth > MAX_DEPTH) {
            throw new ErofsFormatException(name + ": directory '" + path + "' (inode " + nid
                    + ") loops back or lies deeper than " + MAX_DEPTH + " levels");
        }
        byte[] d = flatContent(n, 1L << 30);
        for (int block = 0; block * (long) BLOCK < d.length; block++) {
            int start = block * BLOCK;
            int end = Math.min(d.length, start + BLOCK);
            ByteBuffer b = ByteBuffer.wrap(d, start, end - start).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (b.limit() < 12) {
                throw new ErofsFormatException(name + ": directory '" + path + "' (inode " + nid + "), block "
                        + block + ": " + b.limit() + " bytes hold no entry");
            }
            int first = b.getShort(8) & 0xFFFF;
            if (first < 12 || first % 12 != 0 || first > b.limit()) {
                throw new ErofsFormatException(name + ": directory '" + path + "' (inode " + nid + "), block "
                        + block + ": bad first name offset " + first);
            }
            int count = first / 12;
            for (int i = 0; i < count; i++) {
                long child = b.getLong(i * 12);
                int nameOff = b.getShort(i * 12 + 8) & 0xFFFF;
                int nameEnd = i + 1 < count ? b.getShort((i + 1) * 12 + 8) & 0xFFFF : b.limit();
                if (nameOff < first || nameEnd > b.limit() || nameEnd <= nameOff) {
                    throw new ErofsFormatException(name + ": directory '" + path + "' (inode " + nid + "), block "
                            + block + ", entry " + i + ": bad name offsets " + nameOff + ".." + nameEnd);
                }
                int len = 0;
                while (nameOff + len < nameEnd && b.get(nameOff + len) != 0) {
                    len++;
                }
                byte[] nb = new byte[len];
                b.get(nameOff, nb);
                String childName = new String(nb, StandardCharsets.UTF_8);
                if (childName.equals(".") || childName.equals("..")) {
                    continue;
                }
                if (child < 0 || metaBase + child * 32 >= size) {
                    throw new ErofsFormatException(name + ": directory '" + path + "': entry '" + childName
                            + "' names inode " + child + ", beyond the image");
                }
                walk(child, path.isEmpty() ? childName : path + "/" + childName, out, dirs, depth + 1);
            }
        }
    }

    /** Where this image was opened from. */
    public Path path() {
        return path;
    }

    /** The entry at {@code path} ("" for the root), if there is one. */
    public Optional<ImageEntry> lookup(String path) throws IOException {
        for (ImageEntry e : entries()) {
            if (e.path().equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The content of a regular file listed by {@link #entries}. Reads uncompressed files
     * (FLAT_PLAIN, FLAT_INLINE) and lz4-compressed ones in the full (legacy) index layout, with big
     * physical clusters and a tail packed after the inode (what {@link ErofsWriter} writes, and
     * mkfs.erofs with {@code -Elegacy-compress}). Content is decoded one extent at a time, so memory
     * stays bounded by the largest extent ({@value #MAX_EXTENT} bytes at most). Damage shows as an
     * {@link ErofsFormatException} from the stream's {@code read}.
     *
     * @throws ErofsFormatException when the entry is no regular file of this image or its layout is not read
     */
    public InputStream open(ImageEntry file) throws IOException {
        if (file.type() != ImageEntryType.FILE) {
            throw new IllegalArgumentException("'" + file.path() + "' is not a regular file");
        }
        Inode n = inode(file.inodeReference());
        if (n.type(name) != ImageEntryType.FILE) {
            throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + " of '" + file.path()
                    + "' is not a regular file");
        }
        if (n.size() < 0) {
            throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + ": negative size");
        }
        return switch (n.layout()) {
            case 0, 2 -> new FlatStream(n);
            case 1 -> new CompressedStream(n);
            default -> throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + " ('"
                    + file.path() + "'): data layout " + n.layout() + (n.layout() == 3
                    ? " (compact indexes, mkfs.erofs' default; -Elegacy-compress writes the full ones)" : "")
                    + " is not read");
        };
    }

    /** Hands out chunks of content; subclasses fill {@link #chunk} with the bytes from {@link #pos} on. */
    private abstract static class ChunkStream extends InputStream {
        final long fileSize;
        long pos;
        byte[] chunk = new byte[0];
        int chunkOff;

        ChunkStream(long fileSize) {
            this.fileSize = fileSize;
        }

        /** Replaces {@link #chunk} with the next bytes of the file, at least one. */
        abstract void fill() throws IOException;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (chunkOff == chunk.length) {
                if (pos >= fileSize) {
                    return -1;
                }
                fill();
                chunkOff = 0;
            }
            int n = Math.min(len, chunk.length - chunkOff);
            System.arraycopy(chunk, chunkOff, b, off, n);
            chunkOff += n;
            return n;
        }
    }

    /** FLAT_PLAIN and FLAT_INLINE: whole blocks from the data area, the inline tail after the inode. */
    private final class FlatStream extends ChunkStream {
        private final Inode n;
        private final long whole;

        FlatStream(Inode n) throws IOException {
            super(n.size());
            this.n = n;
            this.whole = n.layout() == 2 ? n.size() / BLOCK * BLOCK : n.size();
            if (whole > 0 && (n.rawBlock() * BLOCK + whole > size || whole > size)) {
                throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position() + ": " + whole
                        + " bytes of data from block " + n.rawBlock() + " lie beyond the image's end at " + size);
            }
        }

        @Override
        void fill() throws IOException {
            if (pos < whole) {
                int len = (int) Math.min(CHUNK, whole - pos);
                chunk = new byte[len];
                readAt(n.rawBlock() * BLOCK + pos, len, "data of inode " + n.nid()).get(chunk);
            } else {
                chunk = flatTail(n, (int) (fileSize - whole));
            }
            pos += chunk.length;
        }
    }

    private byte[] flatTail(Inode n, int tail) throws IOException {
        long at = n.position() + n.inodeSize() + n.xattrSize();
        if (at % BLOCK + tail > BLOCK) {
            throw new ErofsFormatException(name + ": inode " + n.nid() + " at " + n.position()
                    + ": its inline data crosses a block boundary");
        }
        byte[] out = new byte[tail];
        readAt(at, tail, "inline data of inode " + n.nid()).get(out);
        return out;
    }

    /**
     * COMPRESSED_FULL with lz4: one 8-byte index per 4 KiB logical cluster after the map header. An
     * extent starts at a HEAD (or PLAIN) lcluster, at its cluster offset, and ends where the next
     * one starts; its physical cluster is {@code blocks} blocks from the head's block address.
     */
    private final class CompressedStream extends ChunkStream {
        private final Inode n;
        private final long indexBase;
        private final long lclusters;
        private final int idataSize;
        private final int advise;
        private long windowStart = -1;
        private ByteBuffer window;

        CompressedStream(Inode n) throws IOException {
            super(n.size());
            this.n = n;
            String at = name + ": map header of inode " + n.nid() + " at ";
            if (!zeroPadding) {
                // Then the kernel decodes a prefix of a cluster (LZ4_decompress_safe_partial), which
                // lz4-java does not offer; mkfs.erofs -zlz4hc and our writer set the feature.
                throw new ErofsFormatException(name + ": superblock at 1024: lz4 clusters without zero padding"
                        + " (feature_incompat bit 0) are not read");
            }
            long header = n.position() + ((n.inodeSize() + n.xattrSize() + 7) & ~7);
            ByteBuffer h = readAt(header, 8, "map header of inode " + n.nid());
            this.idataSize = h.getShort(2) & 0xFFFF;
            this.advise = h.getShort(4) & 0xFFFF;
            int algorithms = h.get(6) & 0xFF;
            int clusterBits = h.get(7) & 7;
            if (algorithms != 0) {
                throw new ErofsFormatException(at + header + ": algorithms " + algorithms + " (only lz4 is read)");
            }
            if (clusterBits != 0) {
                throw new ErofsFormatException(at + header + ": logical clusters of 2^" + (12 + clusterBits)
                        + " bytes (only 4096 is read)");
            }
            if ((advise & ~(ADVISE_BIG_PCLUSTER_1 | ADVISE_INLINE_PCLUSTER)) != 0) {
                throw new ErofsFormatException(at + header + ": advise bits 0x" + Integer.toHexString(advise)
                        + " are not read (fragments or compact indexes)");
            }
            this.indexBase = header + 16;
            this.lclusters = (n.size() + BLOCK - 1) / BLOCK;
            if (indexBase + lclusters * 8 > size) {
                throw new ErofsFormatException(at + header + ": " + lclusters + " cluster indexes lie beyond the image's end");
            }
        }

        /** The 8-byte index of logical cluster {@code lcn}, read through a 4 KiB window. */
        private ByteBuffer index(long lcn) throws IOException {
            long at = indexBase + lcn * 8;
            if (windowStart < 0 || at < windowStart || at + 8 > windowStart + window.limit()) {
                windowStart = at;
                int len = (int) Math.min(BLOCK, indexBase + lclusters * 8 - at);
                window = readAt(at, len, "cluster indexes of inode " + n.nid());
            }
            return window.slice((int) (at - windowStart), 8).order(ByteOrder.LITTLE_ENDIAN);
        }

        private ErofsFormatException bad(long lcn, String problem) {
            return new ErofsFormatException(name + ": cluster index " + lcn + " of inode " + n.nid() + " at "
                    + (indexBase + lcn * 8) + ": " + problem);
        }

        @Override
        void fill() throws IOException {
            long lcn = pos / BLOCK;
            ByteBuffer head = index(lcn);
            int type = head.getShort(0) & 3;
            int clusterOfs = head.getShort(2) & 0xFFFF;
            long blkaddr = Integer.toUnsignedLong(head.getInt(4));
            if (type == LCLUSTER_NONHEAD || lcn * BLOCK + clusterOfs != pos) {
                throw bad(lcn, "no extent starts at file offset " + pos);
            }
            long end = n.size();
            long m = lcn + 1;
            for (; m < lclusters; m++) {
                ByteBuffer x = index(m);
                if ((x.getShort(0) & 3) != LCLUSTER_NONHEAD) {
                    int ofs = x.getShort(2) & 0xFFFF;
                    if (ofs >= BLOCK) {
                        throw bad(m, "cluster offset " + ofs + " is not within the cluster");
                    }
                    end = m * BLOCK + ofs;
                    break;
                }
            }
            long length = end - pos;
            if (length <= 0 || length > MAX_EXTENT) {
                throw bad(lcn, "an extent of " + length + " bytes (this reader takes 1 to " + MAX_EXTENT + ")");
            }
            // mkfs.erofs 1.5 may end the index array with an empty head at the file's end.
            end = Math.min(end, n.size());
            boolean inline = end == n.size() && (advise & ADVISE_INLINE_PCLUSTER) != 0;
            byte[] raw;
            if (inline) {
                long at = indexBase + lclusters * 8;
                if (idataSize == 0 || at % BLOCK + idataSize > BLOCK) {
                    throw bad(lcn, "the packed tail of " + idataSize + " bytes at " + at + " does not fit its block");
                }
                raw = new byte[idataSize];
                readAt(at, idataSize, "packed tail of inode " + n.nid()).get(raw);
            } else {
                int blocks = 1;
                if (type != LCLUSTER_PLAIN && lcn + 1 < lclusters) {
                    ByteBuffer next = index(lcn + 1);
                    int delta0 = next.getShort(4) & 0xFFFF;
                    if ((next.getShort(0) & 3) == LCLUSTER_NONHEAD && (delta0 & D0_CBLKCNT) != 0) {
                        if ((advise & ADVISE_BIG_PCLUSTER_1) == 0) {
                            throw bad(lcn + 1, "a block count without big physical clusters");
                        }
                        blocks = delta0 & ~D0_CBLKCNT;
                    }
                }
                if (blocks < 1 || blocks > MAX_PCLUSTER / BLOCK) {
                    throw bad(lcn, "a physical cluster of " + blocks + " blocks");
                }
                raw = new byte[blocks * BLOCK];
                readAt(blkaddr * BLOCK, raw.length, "physical cluster of inode " + n.nid() + " (block " + blkaddr + ")")
                        .get(raw);
            }
            if (type == LCLUSTER_PLAIN) {
                if (length > raw.length) {
                    throw bad(lcn, "an uncompressed extent of " + length + " bytes in " + raw.length + " stored bytes");
                }
                chunk = java.util.Arrays.copyOf(raw, (int) length);
            } else {
                int start = 0;
                while (start < raw.length && raw[start] == 0) {
                    start++;
                }
                chunk = new byte[(int) length];
                int got;
                try {
                    got = LZ4.decompress(raw, start, raw.length - start, chunk, 0, chunk.length);
                } catch (RuntimeException e) {
                    throw bad(lcn, "the lz4 data of the extent at file offset " + pos + " is corrupt");
                }
                if (got != length) {
                    throw bad(lcn, "the extent at file offset " + pos + " decompressed to " + got + " bytes, not " + length);
                }
            }
            pos = end;
        }
    }

    private ByteBuffer readAt(long pos, int len, String what) throws IOException {
        if (pos < 0 || len < 0 || pos + len > size) {
            throw new ErofsFormatException(name + ": " + what + " at offset " + pos + " (" + len
                    + " bytes) lies beyond the image's end at " + size);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        long p = pos;
        while (b.hasRemaining()) {
            int r = channel.read(b, p);
            if (r < 0) {
                throw new ErofsFormatException(name + ": " + what + " at offset " + pos + ": the image ended");
            }
            p += r;
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
