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
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Lists the entries of an EROFS image with 4 KiB blocks: superblock ({@link #info}), compact and extended inodes,
 * plain and inline directories and symlinks, xattrs (inline and shared) and file content
 * ({@link #open}). Defensive:
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
    private static final int INCOMPAT_ZERO_PADDING = 0x1;
    private static final int INCOMPAT_COMPR_CFGS = 0x2;
    private static final int INCOMPAT_FRAGMENTS = 0x20;
    /** Zero padding, big pclusters, chunks, device table, ztailpacking, fragments/dedupe, xattr prefixes. */
    private static final int INCOMPAT_KNOWN = 0x7F;
    private static final int COMPAT_SB_CHKSUM = 0x1;

    private final FileChannel channel;
    private final ImageChannel image;
    private final XattrReader xattrs;
    /** The packed inode's nid, -1 when the image has none. */
    private final long packedNid;
    private final ErofsInfo info;
    private InodeData packedData;
    private final int extraDevices;
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
        this.image = new ImageChannel(channel, name);
        this.size = image.size();
        ByteBuffer sb = readAt(1024, 128, "superblock");
        if (sb.getInt(0) != 0xE0F5E1E2) {
            throw new ErofsFormatException(name + ": no EROFS superblock at offset 1024 (magic "
                    + String.format("0x%08X", sb.getInt(0)) + ")");
        }
        if ((sb.getInt(8) & COMPAT_SB_CHKSUM) != 0) {
            checkSuperblockCrc(sb.getInt(4));
        }
        int blkszbits = sb.get(12) & 0xFF;
        if (blkszbits != 12) {
            throw new ErofsFormatException(name + ": superblock at 1024: block size 2^" + blkszbits
                    + " (only 4096-byte blocks are read)");
        }
        this.info = decode(sb);
        int incompat = info.featureIncompat();
        if ((incompat & ~INCOMPAT_KNOWN) != 0) {
            // Newer layouts (48-bit block addresses 0x80, metabox 0x100, ...) change what inodes mean.
            throw new ErofsFormatException(name + ": superblock at 1024: incompatible features 0x"
                    + Integer.toHexString(incompat & ~INCOMPAT_KNOWN) + " are not read");
        }
        this.rootNid = (int) info.rootNid();
        this.zeroPadding = (incompat & INCOMPAT_ZERO_PADDING) != 0;
        this.xattrs = new XattrReader(image, info.xattrBlockAddress());
        this.extraDevices = info.extraDevices();
        this.packedNid = info.packedNid().orElse(-1);
        this.metaBase = info.metaBlockAddress() * BLOCK;
        if (metaBase >= size) {
            throw new ErofsFormatException(name + ": superblock at 1024: metadata block " + metaBase / BLOCK
                    + " lies beyond the image's end");
        }
    }

    /**
     * The one decoding of the superblock's fields (layout: the kernel's {@code struct erofs_super_block});
     * the reader takes what it needs from it.
     */
    private static ErofsInfo decode(ByteBuffer sb) {
        int compat = sb.getInt(8);
        int incompat = sb.getInt(80);
        byte[] uuid = new byte[16];
        sb.get(48, uuid);
        ByteBuffer u = ByteBuffer.wrap(uuid); // a UUID's text shows its bytes in stored order
        byte[] label = new byte[16];
        sb.get(64, label);
        int labelLength = 0;
        while (labelLength < label.length && label[labelLength] != 0) {
            labelLength++;
        }
        Optional<String> volumeName = labelLength == 0 ? Optional.empty()
                : Optional.of(new String(label, 0, labelLength, StandardCharsets.UTF_8));
        // One 16-bit field, two meanings: the algorithm bitmap with compr_cfgs, lz4's window without.
        int u1 = sb.getShort(84) & 0xFFFF;
        boolean cfgs = (incompat & INCOMPAT_COMPR_CFGS) != 0;
        int lz4Distance = cfgs ? 0 : u1;
        int compressors = cfgs ? u1
                : (incompat & INCOMPAT_ZERO_PADDING) != 0 || lz4Distance != 0 ? 1 : 0;
        long packed = sb.getLong(96);
        return new ErofsInfo(1 << (sb.get(12) & 0xFF), Integer.toUnsignedLong(sb.getInt(36)), sb.getLong(24),
                sb.getInt(32), new UUID(u.getLong(0), u.getLong(8)), volumeName, sb.getLong(16),
                sb.getShort(14) & 0xFFFF, Integer.toUnsignedLong(sb.getInt(40)), Integer.toUnsignedLong(sb.getInt(44)),
                compat, incompat, compressors, lz4Distance,
                (incompat & INCOMPAT_FRAGMENTS) != 0 && packed != 0 ? OptionalLong.of(packed) : OptionalLong.empty(),
                sb.getShort(86) & 0xFFFF);
    }

    /** What the superblock says: block size, build time, UUID, features, compression, ... */
    public ErofsInfo info() {
        return info;
    }

    /**
     * The kernel refuses an image whose superblock checksum (crc32c of the superblock's block from
     * offset 1024 on, the checksum field as zero, without the final inversion) does not match.
     */
    private void checkSuperblockCrc(int stored) throws IOException {
        ByteBuffer rest = readAt(1024, BLOCK - 1024, "superblock");
        rest.putInt(4, 0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(rest);
        int computed = ~(int) crc.getValue();
        if (computed != stored) {
            throw new ErofsFormatException(name + ": superblock at 1024: checksum " + String.format("0x%08X", stored)
                    + " does not match its content (" + String.format("0x%08X", computed) + ")");
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
        walk(rootNid, out, dirs);
        return out;
    }

    /** An inode as stored; {@code xattrSize} is the size of its xattr area after the inode. */
    record Inode(long nid, int mode, long size, long uid, long gid, long mtime, long nlink, int layout,
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

    Inode inode(long nid) throws IOException {
        if (nid < 0 || nid > (size - metaBase) / 32) {
            throw new ErofsFormatException(name + ": inode " + nid + " lies beyond the image's end");
        }
        long pos = metaBase + nid * 32;
        ByteBuffer b = readAt(pos, 32, "inode " + nid);
        int format = b.getShort(0) & 0xFFFF;
        // Compact inodes keep their mtime as seconds after the build time (0 in older images: the build time).
        int icount = b.getShort(2) & 0xFFFF;
        int mode = b.getShort(4) & 0xFFFF;
        int xattrSize = icount == 0 ? 0 : 12 + (icount - 1) * 4;
        int layout = format >> 1 & 7;
        if ((format & 1) == 0) {
            return new Inode(nid, mode, Integer.toUnsignedLong(b.getInt(8)), b.getShort(24) & 0xFFFF,
                    b.getShort(26) & 0xFFFF, info.buildTime() + Integer.toUnsignedLong(b.getInt(12)), b.getShort(6) & 0xFFFF, layout,
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

    /** A directory entry still to be listed: its inode, path and depth. */
    private record Pending(long nid, String path, int depth) {
    }

    /**
     * Lists depth first, parents before children, with an explicit stack: a deep (or damaged) tree
     * costs heap, not the thread's stack.
     */
    private void walk(long rootNid, List<ImageEntry> out, Set<Long> dirs) throws IOException {
        java.util.ArrayDeque<Pending> stack = new java.util.ArrayDeque<>();
        stack.push(new Pending(rootNid, "", 0));
        while (!stack.isEmpty()) {
            Pending p = stack.pop();
            List<Pending> children = visit(p.nid(), p.path(), out, dirs, p.depth());
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
    }

    /** Adds the entry of {@code nid}; for a directory returns its children in stored order. */
    private List<Pending> visit(long nid, String path, List<ImageEntry> out, Set<Long> dirs, int depth)
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
                n.nlink(), nid + 1, target, major, minor, xattrs.read(n), nid));
        if (type != ImageEntryType.DIRECTORY) {
            return List.of();
        }
        if (!dirs.add(nid) || depth > MAX_DEPTH) {
            throw new ErofsFormatException(name + ": directory '" + path + "' (inode " + nid
                    + ") loops back or lies deeper than " + MAX_DEPTH + " levels");
        }
        List<Pending> children = new ArrayList<>();
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
                children.add(new Pending(child, path.isEmpty() ? childName : path + "/" + childName, depth + 1));
            }
        }
        return children;
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
     * The content of a regular file listed by {@link #entries}: uncompressed (FLAT_PLAIN,
     * FLAT_INLINE) or lz4-compressed with full (legacy) or compact indexes, big physical clusters,
     * with or without lz4 zero padding, interlaced uncompressed clusters, a tail packed after the
     * inode (ztailpacking) or in the packed inode (fragments): what {@link ErofsWriter} and
     * mkfs.erofs write. Content is decoded one extent at a time, so memory stays bounded by the
     * largest extent (16 MiB at most). Damage shows as an {@link ErofsFormatException} from the
     * stream's {@code read}.
     *
     * <p>Chunk-based files ({@code mkfs.erofs --chunksize}) are read too, but not chunks on extra devices.
     *
     * @throws ErofsFormatException when the entry is no regular file of this image or its layout is not read
     *     (lzma, deflate or zstd clusters)
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
        return new DataStream(data(n, this::packed));
    }

    private InodeData data(Inode n, InodeData.Packed packed) throws IOException {
        return new InodeData(image, n, zeroPadding, extraDevices, packed);
    }

    /** The packed inode that holds fragments (mkfs.erofs -Efragments), or null when the image has none. */
    private synchronized InodeData packed() throws IOException {
        if (packedData == null && packedNid >= 0) {
            Inode p = inode(packedNid);
            if (p.type(name) != ImageEntryType.FILE) {
                throw new ErofsFormatException(name + ": superblock at 1024: the packed inode " + packedNid
                        + " is no regular file");
            }
            packedData = data(p, null);
        }
        return packedData;
    }

    /** Hands out a file's bytes a chunk at a time. */
    private static final class DataStream extends InputStream {
        private final InodeData data;
        private long pos;
        private byte[] chunk = new byte[0];
        private int chunkOff;

        DataStream(InodeData data) {
            this.data = data;
        }

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
                if (pos >= data.size()) {
                    return -1;
                }
                int n = (int) Math.min(CHUNK, data.size() - pos);
                if (chunk.length != n) {
                    chunk = new byte[n];
                }
                data.read(pos, chunk, 0, n);
                pos += n;
                chunkOff = 0;
            }
            int n = Math.min(len, chunk.length - chunkOff);
            System.arraycopy(chunk, chunkOff, b, off, n);
            chunkOff += n;
            return n;
        }
    }

    private ByteBuffer readAt(long pos, int len, String what) throws IOException {
        return image.readAt(pos, len, what);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
