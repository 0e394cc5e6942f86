package dev.sysext.erofs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import dev.sysext.erofs.ErofsCompression;

/**
 * Builds an uncompressed EROFS image. Whole blocks of file content go into the image as they
 * arrive (from block 1 on; block 0 holds the superblock); the tails of files and symlink targets go
 * to a spool file. {@link #finish} then places the directory blocks, lays the inodes out in
 * breadth-first tree order (the root first, so that its nid fits the superblock's 16 bits), and
 * writes the metadata area and the superblock. The layout depends only on the entries and their
 * content, never on when they arrived, so the same input gives the same bytes.
 *
 * <p>Not thread-safe; the public {@code ErofsWriter} documents the contract.
 */
public final class ImageBuilder implements AutoCloseable {
    private static final int COPY_BUFFER = 1 << 20;

    private final Path target;
    private final Path temp;
    private final Path spoolPath;
    private final FileChannel image;
    private final FileChannel spool;
    private final long buildTime;
    private final UUID uuid;
    private final Node root = new Node(Format.S_IFDIR);
    private final XattrTable xattrTable;
    private final byte[] buffer = new byte[COPY_BUFFER];
    /** File content is compressed in independent segments of this size (a multiple of 4096). */
    private static final int SEGMENT = 4 << 20;
    private final ClusterCompressor compressor;
    private final ThreadLocal<ClusterCompressor> compressors;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long nextBlock = 1;
    private long spoolSize;
    private boolean finished;
    private boolean closed;

    /**
     * Opens a temporary image beside {@code target}.
     *
     * @param buildTime the superblock's build time, which compact inodes take as their mtime
     * @param uuid the volume UUID
     * @param compression how regular files of more than one block are compressed
     * @param threads how many threads compress; the image does not depend on it
     * @param xattrTolerance xattrs that more inodes than this carry go to the shared xattr area
     *     ({@code mkfs.erofs -x}); {@link Integer#MAX_VALUE} keeps every xattr inline
     */
    public ImageBuilder(Path target, long buildTime, UUID uuid, ErofsCompression compression, int threads,
            int xattrTolerance) throws IOException {
        this.xattrTable = new XattrTable(xattrTolerance);
        this.compressor = compression.algorithm() == ErofsCompression.Algorithm.NONE ? null
                : new ClusterCompressor(compression.algorithm() == ErofsCompression.Algorithm.LZ4HC, compression.level(),
                        compression.clusterSize());
        this.compressors = ThreadLocal.withInitial(() -> new ClusterCompressor(
                compression.algorithm() == ErofsCompression.Algorithm.LZ4HC, compression.level(), compression.clusterSize()));
        this.pool = compressor == null || threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "erofs-compressor");
            t.setDaemon(true);
            return t;
        });
        this.maxPending = 2 * Math.max(1, threads);
        this.target = target.toAbsolutePath();
        this.buildTime = buildTime;
        this.uuid = uuid;
        Path dir = this.target.getParent();
        String name = this.target.getFileName().toString();
        this.temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        Path s = null;
        FileChannel img = null;
        try {
            s = Files.createTempFile(dir, "." + name + ".", ".tails");
            img = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.READ);
            this.spool = FileChannel.open(s, StandardOpenOption.WRITE, StandardOpenOption.READ,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            if (img != null) {
                img.close();
            }
            Files.deleteIfExists(temp);
            if (s != null) {
                Files.deleteIfExists(s);
            }
            throw e;
        }
        this.spoolPath = s;
        this.image = img;
        root.parent = root;
        root.permissions = 0755;
        root.mtime = buildTime;
    }

    /** Adds a directory or sets the metadata of an existing one ({@code ""} is the root). */
    public void directory(String path, int permissions, long uid, long gid, long mtime, Map<String, byte[]> xattrs) {
        List<byte[]> names = split(path);
        Node dir;
        if (names.isEmpty()) {
            dir = root;
        } else {
            Node parent = parentOf(path, names);
            byte[] name = names.get(names.size() - 1);
            dir = parent.children.get(name);
            if (dir == null) {
                dir = new Node(Format.S_IFDIR);
                dir.parent = parent;
                parent.children.put(name, dir);
            } else if (!dir.isDirectory()) {
                throw new IllegalArgumentException("'" + path + "' exists already and is not a directory");
            } else if (dir.explicit) {
                throw new IllegalArgumentException("directory '" + path + "' was added twice");
            }
        }
        dir.explicit = true;
        setMetadata(path, dir, permissions, uid, gid, mtime, xattrs);
    }

    /**
     * Adds a regular file and copies {@code size} bytes of {@code content} into the image now.
     *
     * @throws IOException when the stream ends early or cannot be read; the message names the path
     */
    public void file(String path, int permissions, long uid, long gid, long mtime, Map<String, byte[]> xattrs,
            InputStream content, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("file '" + path + "': negative size " + size);
        }
        Node n = new Node(Format.S_IFREG);
        setMetadata(path, n, permissions, uid, gid, mtime, xattrs);
        n.size = size;
        link(path, n);
        if (compressor != null && size > Format.BLOCK) {
            storeCompressed(path, n, content);
        } else {
            storeContent(path, n, content);
        }
    }

    /** Adds a symbolic link; the target is stored as given, as UTF-8. */
    public void symlink(String path, int permissions, long uid, long gid, long mtime, Map<String, byte[]> xattrs,
            String target) throws IOException {
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= Format.BLOCK) {
            throw new IllegalArgumentException("symlink '" + path + "': the target must be 1 to 4095 bytes, not "
                    + bytes.length);
        }
        Node n = new Node(Format.S_IFLNK);
        setMetadata(path, n, permissions, uid, gid, mtime, xattrs);
        n.size = bytes.length;
        link(path, n);
        storeContent(path, n, new java.io.ByteArrayInputStream(bytes));
    }

    /** Adds a device, FIFO or socket; {@code type} is its S_IF* bits. */
    public void special(String path, int type, int permissions, long uid, long gid, long mtime,
            Map<String, byte[]> xattrs, int major, int minor) {
        Node n = new Node(type);
        setMetadata(path, n, permissions, uid, gid, mtime, xattrs);
        if (type == Format.S_IFCHR || type == Format.S_IFBLK) {
            if (major < 0 || major > 0xFFF || minor < 0 || minor > 0xFFFFF) {
                throw new IllegalArgumentException("device '" + path + "': " + major + "," + minor
                        + " is outside what EROFS stores (major 0..4095, minor 0..1048575)");
            }
            n.rdev = Format.encodeDevice(major, minor);
        }
        link(path, n);
    }

    /** Adds another name for the inode at {@code target}, which must not be a directory. */
    public void hardLink(String path, String target) {
        List<byte[]> names = split(target);
        Node n = root;
        for (byte[] name : names) {
            n = n.isDirectory() ? n.children.get(name) : null;
            if (n == null) {
                throw new IllegalArgumentException("hard link '" + path + "': its target '" + target + "' does not exist");
            }
        }
        if (n.isDirectory()) {
            throw new IllegalArgumentException("hard link '" + path + "': its target '" + target + "' is a directory");
        }
        link(path, n);
        n.nlink++;
    }

    private void link(String path, Node n) {
        List<byte[]> names = split(path);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("'" + path + "': only a directory can be the root");
        }
        Node parent = parentOf(path, names);
        byte[] name = names.get(names.size() - 1);
        if (parent.children.putIfAbsent(name, n) != null) {
            throw new IllegalArgumentException("'" + path + "' was added twice");
        }
    }

    /** The parent directory of {@code names}, created with default metadata where missing. */
    private Node parentOf(String path, List<byte[]> names) {
        Node dir = root;
        for (int i = 0; i < names.size() - 1; i++) {
            Node next = dir.children.get(names.get(i));
            if (next == null) {
                next = new Node(Format.S_IFDIR);
                next.parent = dir;
                next.permissions = 0755;
                next.mtime = buildTime;
                dir.children.put(names.get(i), next);
            } else if (!next.isDirectory()) {
                throw new IllegalArgumentException("'" + path + "': a parent is not a directory");
            }
            dir = next;
        }
        return dir;
    }

    private static List<byte[]> split(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.equals(".")) {
            p = "";
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("'" + path + "': absolute paths are refused");
        }
        List<byte[]> out = new ArrayList<>();
        if (p.isEmpty()) {
            return out;
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'" + path + "': empty, '.' or '..' components are refused");
            }
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            if (b.length > Format.NAME_MAX) {
                throw new IllegalArgumentException("'" + path + "': a name is " + b.length
                        + " bytes long; EROFS allows " + Format.NAME_MAX);
            }
            if (part.indexOf(0) >= 0) {
                throw new IllegalArgumentException("'" + path + "': names cannot contain NUL");
            }
            out.add(b);
        }
        return out;
    }

    private void setMetadata(String path, Node n, int permissions, long uid, long gid, long mtime,
            Map<String, byte[]> xattrs) {
        List<XattrTable.Xattr> stored = xattrTable.add(path, xattrs);
        n.permissions = permissions & 07777;
        n.uid = uid;
        n.gid = gid;
        n.mtime = mtime;
        n.xattrs = stored;
        // All inline until finish() knows which are shared: an upper bound for decisions taken now.
        n.xattrSize = XattrTable.ibodySize(stored);
    }

    /**
     * Copies the whole blocks into the image and the tail into the spool. Whether the tail will go
     * inline is decided now, assuming an extended inode, so that a tail that cannot go inline gets
     * its block right after the whole blocks, as FLAT_PLAIN needs.
     */
    private void storeContent(String path, Node n, InputStream in) throws IOException {
        long whole = n.size / Format.BLOCK;
        int tail = (int) n.tailLength();
        if (whole > 0 || tail > 0 && Format.EXTENDED_INODE + n.xattrSize + tail > Format.BLOCK) {
            // Blocks are laid out in arrival order: compressed segments still on their way come first.
            drainSegments();
        }
        n.dataBlock = whole > 0 ? nextBlock : 0;
        long pos = nextBlock * Format.BLOCK;
        long left = whole * Format.BLOCK;
        while (left > 0) {
            int want = (int) Math.min(buffer.length, left);
            readFully(path, in, buffer, want, n.size);
            writeFully(image, ByteBuffer.wrap(buffer, 0, want), pos);
            pos += want;
            left -= want;
        }
        nextBlock += whole;
        if (tail > 0) {
            readFully(path, in, buffer, tail, n.size);
            n.inlineTail = Format.EXTENDED_INODE + n.xattrSize + tail <= Format.BLOCK;
            if (n.inlineTail) {
                n.tailOffset = spoolSize;
                writeFully(spool, ByteBuffer.wrap(buffer, 0, tail), spoolSize);
                spoolSize += tail;
            } else {
                Arrays.fill(buffer, tail, Format.BLOCK, (byte) 0);
                if (n.dataBlock == 0) {
                    n.dataBlock = nextBlock;
                }
                writeFully(image, ByteBuffer.wrap(buffer, 0, Format.BLOCK), nextBlock * Format.BLOCK);
                nextBlock++;
            }
        }
    }

    /** One extent of a compressed file: where it starts in the file, its length, and its physical cluster. */
    record Extent(long start, int length, boolean plain, long block, int blocks) {
    }

    /** A segment on its way: compressed by a worker (or already), written in the order it was read. */
    private record Pending(String path, Node node, Future<List<ClusterCompressor.Cluster>> clusters, boolean last) {
    }

    /**
     * Reads a file in segments of {@link #SEGMENT} bytes and hands each to the compressors. Segments
     * are written in the order they were read, whatever order the workers finish in, so the image
     * is the same for any number of threads; at most two segments per thread wait in memory.
     */
    private void storeCompressed(String path, Node n, InputStream in) throws IOException {
        n.extents = new ArrayList<>();
        long pos = 0;
        while (pos < n.size) {
            int len = (int) Math.min(SEGMENT, n.size - pos);
            byte[] seg = new byte[len];
            readFully(path, in, seg, len, n.size);
            long base = pos;
            boolean last = pos + len == n.size;
            // What the packed tail may take so that the whole record fits in one block (the kernel
            // wants packed data in one block), with an extended inode to be safe.
            int record = ((Format.EXTENDED_INODE + n.xattrSize + 7) & ~7) + Format.MAP_HEADER
                    + (int) Math.min(Format.BLOCK, (n.size + Format.BLOCK - 1) / Format.BLOCK * 8);
            int budget = Math.max(0, Format.BLOCK - record);
            Future<List<ClusterCompressor.Cluster>> f;
            if (pool == null) {
                CompletableFuture<List<ClusterCompressor.Cluster>> done = new CompletableFuture<>();
                done.complete(compressors.get().compressSegment(seg, base, last, budget));
                f = done;
            } else {
                f = pool.submit(() -> compressors.get().compressSegment(seg, base, last, budget));
            }
            pending.add(new Pending(path, n, f, last));
            while (pending.size() > maxPending || (!pending.isEmpty() && pending.peek().clusters().isDone())) {
                writeNextSegment();
            }
            pos += len;
        }
    }

    /** Writes every segment still waiting; before plain data, and before the metadata. */
    private void drainSegments() throws IOException {
        while (!pending.isEmpty()) {
            writeNextSegment();
        }
    }

    private void writeNextSegment() throws IOException {
        Pending p = pending.poll();
        List<ClusterCompressor.Cluster> clusters;
        try {
            clusters = p.clusters().get();
        } catch (ExecutionException e) {
            throw new IOException("file '" + p.path() + "': compression failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while compressing '" + p.path() + "'");
        }
        Node n = p.node();
        byte[] packed = null;
        for (int i = 0; i < clusters.size(); i++) {
            ClusterCompressor.Cluster c = clusters.get(i);
            if (c.blocks() == 0) {
                // ztailpacking: the file's last extent goes after the index array.
                packed = c.payloadBytes();
                n.extents.add(new Extent(c.start(), c.length(), c.plain(), 0, 1));
                break;
            }
            writeFully(image, ByteBuffer.wrap(c.data()), nextBlock * Format.BLOCK);
            n.extents.add(new Extent(c.start(), c.length(), c.plain(), nextBlock, c.blocks()));
            nextBlock += c.blocks();
            n.compressedBlocks += c.blocks();
        }
        if (p.last()) {
            byte[] map = lclusterIndexes(n.size, n.extents);
            n.extents = null;
            n.compressed = true;
            n.mapOffset = spoolSize;
            n.mapLength = map.length;
            writeFully(spool, ByteBuffer.wrap(map), spoolSize);
            spoolSize += map.length;
            if (packed != null) {
                n.inlineExtent = packed.length;
                writeFully(spool, ByteBuffer.wrap(packed), spoolSize);
                spoolSize += packed.length;
            }
        }
    }

    /**
     * The legacy (full) index array: one 8-byte entry per 4096-byte logical cluster. The lcluster an
     * extent starts in is its HEAD (with the offset of the start); the ones it covers after that are
     * NONHEAD, with the distance back to the head and on to the next head, except the first, which
     * holds the physical cluster's block count (D0_CBLKCNT) for a compressed extent. Every extent but
     * a file's last covers more than 4096 bytes, so no lcluster holds two heads.
     */
    private static byte[] lclusterIndexes(long size, List<Extent> extents) {
        int count = (int) ((size + Format.BLOCK - 1) / Format.BLOCK);
        ByteBuffer b = Format.le(count * 8);
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            int head = (int) (e.start() / Format.BLOCK);
            int nextHead = i + 1 < extents.size() ? (int) (extents.get(i + 1).start() / Format.BLOCK) : count;
            b.position(head * 8);
            b.putShort((short) (e.plain() ? Format.LCLUSTER_PLAIN : Format.LCLUSTER_HEAD1));
            b.putShort((short) (e.start() % Format.BLOCK));
            b.putInt((int) e.block());
            for (int m = head + 1; m < nextHead; m++) {
                int back = m == head + 1 && !e.plain() ? Format.D0_CBLKCNT | e.blocks() : m - head;
                b.putShort((short) Format.LCLUSTER_NONHEAD).putShort((short) 0);
                b.putShort((short) back).putShort((short) (nextHead - m));
            }
        }
        return b.array();
    }

    private static void readFully(String path, InputStream in, byte[] b, int off, int len, long size) throws IOException {
        int done = 0;
        while (done < len) {
            int r = in.read(b, off + done, len - done);
            if (r < 0) {
                throw new IOException("file '" + path + "': the content ended before its size of " + size + " bytes");
            }
            done += r;
        }
    }

    private static void readFully(String path, InputStream in, byte[] b, int len, long size) throws IOException {
        readFully(path, in, b, 0, len, size);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    /** Lays out and writes the directories, the inodes and the superblock, and moves the image into place. */
    public void finish() throws IOException {
        if (finished || closed) {
            throw new IllegalStateException("the image was finished or closed already");
        }
        drainSegments();
        if (pool != null) {
            pool.shutdown();
        }
        List<Node> order = breadthFirst();
        for (Node n : order) {
            xattrTable.count(n.xattrs);
        }
        int sharedXattrs = xattrTable.layout();
        for (Node n : order) {
            n.xattrSize = XattrTable.ibodySize(n.xattrs);
        }
        placeDirectoryBlocks(order);
        long metaBlock = nextBlock;
        long end = placeInodes(order);
        // The shared xattr area follows the inodes (end is 32-byte aligned); ids count 4-byte
        // units from the start of the block it begins in. mkfs.erofs puts it in block 0 after the
        // superblock, where our layout has no room to grow.
        long xattrBlock = sharedXattrs == 0 ? 0 : metaBlock + end / Format.BLOCK;
        long firstXattrId = end % Format.BLOCK / 4;
        long blocks = metaBlock + (end + sharedXattrs + Format.BLOCK - 1) / Format.BLOCK;
        if (blocks > 0xFFFFFFFFL) {
            throw new IOException(target + ": the image would need " + blocks + " blocks; EROFS addresses 2^32");
        }
        for (Node n : order) {
            if (n.isDirectory()) {
                writeDirectoryBlocks(n);
            }
        }
        writeInodes(order, metaBlock, firstXattrId);
        if (sharedXattrs > 0) {
            writeFully(image, xattrTable.area(), metaBlock * Format.BLOCK + end);
        }
        writeSuperblock(order.size(), metaBlock, xattrBlock, blocks);
        image.truncate(blocks * Format.BLOCK);
        if (image.size() < blocks * Format.BLOCK) {
            writeFully(image, ByteBuffer.allocate(1), blocks * Format.BLOCK - 1);
        }
        image.force(false);
        image.close();
        spool.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
    }

    /** Every inode once (hard links at their first name), directories before their children. */
    private List<Node> breadthFirst() {
        List<Node> order = new ArrayList<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        seen.add(root);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            order.add(n);
            if (n.isDirectory()) {
                long subdirs = 0;
                for (Node c : n.children.values()) {
                    if (c.isDirectory()) {
                        subdirs++;
                    }
                    if (seen.add(c)) {
                        queue.add(c);
                    }
                }
                n.nlink = 2 + subdirs;
            }
        }
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            n.ino = i + 1;
            n.extended = n.uid > 0xFFFF || n.gid > 0xFFFF || n.nlink > 0xFFFF || n.size > 0xFFFFFFFFL
                    || n.mtime != buildTime;
        }
        return order;
    }

    /** One directory entry: the name and the inode it names. */
    private record Dirent(byte[] name, Node node) {
    }

    /** A directory's entries with "." and "..", split into blocks as they are written. */
    private static List<List<Dirent>> directoryBlocks(Node dir) {
        List<Dirent> all = new ArrayList<>(dir.children.size() + 2);
        for (Map.Entry<byte[], Node> e : dir.children.entrySet()) {
            all.add(new Dirent(e.getKey(), e.getValue()));
        }
        all.add(new Dirent(new byte[] {'.'}, dir));
        all.add(new Dirent(new byte[] {'.', '.'}, dir.parent));
        // "." and ".." sort among the names: names may start with bytes below '.'.
        all.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
        List<List<Dirent>> blocks = new ArrayList<>();
        List<Dirent> current = new ArrayList<>();
        int used = 0;
        for (Dirent d : all) {
            int need = Format.DIRENT + d.name.length;
            if (used + need > Format.BLOCK) {
                blocks.add(current);
                current = new ArrayList<>();
                used = 0;
            }
            current.add(d);
            used += need;
        }
        blocks.add(current);
        return blocks;
    }

    private static int blockBytes(List<Dirent> block) {
        int n = 0;
        for (Dirent d : block) {
            n += Format.DIRENT + d.name.length;
        }
        return n;
    }

    /** Sizes every directory and gives its whole blocks (and its tail, if not inline) block numbers. */
    private void placeDirectoryBlocks(List<Node> order) {
        for (Node n : order) {
            if (!n.isDirectory()) {
                continue;
            }
            List<List<Dirent>> blocks = directoryBlocks(n);
            int last = blockBytes(blocks.get(blocks.size() - 1));
            n.size = (long) (blocks.size() - 1) * Format.BLOCK + last;
            int tail = (int) n.tailLength();
            n.inlineTail = tail > 0 && n.inodeSize() + n.xattrSize + tail <= Format.BLOCK;
            long count = n.size / Format.BLOCK + (tail > 0 && !n.inlineTail ? 1 : 0);
            n.dataBlock = count > 0 ? nextBlock : 0;
            nextBlock += count;
        }
    }

    /**
     * Gives every inode its place in the metadata area: 32-byte aligned, and moved to the next
     * block when the inode, its xattrs and its inline tail would cross a block boundary (the kernel
     * refuses inline data that crosses one). Returns the area's length in bytes.
     */
    private static long placeInodes(List<Node> order) throws IOException {
        long pos = 0;
        for (Node n : order) {
            long record = n.recordSize();
            // A record longer than a block (a big file's index array) keeps at least its inode,
            // xattrs and map header in one block.
            long head = record <= Format.BLOCK ? record
                    : n.compressed ? ((n.inodeSize() + n.xattrSize + 7) & ~7) + Format.MAP_HEADER : n.inodeSize();
            long inBlock = pos % Format.BLOCK;
            if (inBlock + head > Format.BLOCK && head <= Format.BLOCK) {
                pos += Format.BLOCK - inBlock;
            }
            n.position = pos;
            n.nid = pos / Format.NID_SLOT;
            pos = (pos + record + Format.NID_SLOT - 1) / Format.NID_SLOT * Format.NID_SLOT;
        }
        if (order.get(0).nid != 0) {
            throw new IOException("internal error: the root inode is not at nid 0");
        }
        return pos;
    }

    /** The bytes of one directory block: dirents, then names; a short last block stays short. */
    private static ByteBuffer encodeDirectoryBlock(List<Dirent> block, boolean pad) {
        int used = blockBytes(block);
        ByteBuffer b = Format.le(pad ? Format.BLOCK : used);
        int nameOff = block.size() * Format.DIRENT;
        for (Dirent d : block) {
            b.putLong(d.node.nid).putShort((short) nameOff).put((byte) Format.fileType(d.node.type)).put((byte) 0);
            nameOff += d.name.length;
        }
        for (Dirent d : block) {
            b.put(d.name);
        }
        b.position(0);
        return b;
    }

    private void writeDirectoryBlocks(Node dir) throws IOException {
        List<List<Dirent>> blocks = directoryBlocks(dir);
        long block = dir.dataBlock;
        for (int i = 0; i < blocks.size(); i++) {
            boolean last = i == blocks.size() - 1;
            if (last && dir.inlineTail) {
                break;
            }
            writeFully(image, encodeDirectoryBlock(blocks.get(i), true), block * Format.BLOCK);
            block++;
        }
    }

    private void writeInodes(List<Node> order, long metaBlock, long firstXattrId) throws IOException {
        long base = metaBlock * Format.BLOCK;
        ByteBuffer out = Format.le(COPY_BUFFER);
        long outPos = base;
        for (Node n : order) {
            long at = base + n.position;
            long gap = at - (outPos + out.position());
            if (out.remaining() < gap + n.recordSize()) {
                out.flip();
                writeFully(image, out, outPos);
                outPos += out.limit();
                out.clear();
                gap = at - outPos;
                if (gap > out.capacity() / 2) {
                    throw new IOException("internal error: a gap of " + gap + " bytes in the metadata area");
                }
            }
            Arrays.fill(out.array(), out.position(), out.position() + (int) gap, (byte) 0);
            out.position(out.position() + (int) gap);
            int start = out.position();
            putInode(out, n);
            XattrTable.putIbody(out, n.xattrs, firstXattrId);
            if (n.compressed) {
                int pad = ((n.inodeSize() + n.xattrSize + 7) & ~7) - (n.inodeSize() + n.xattrSize);
                out.put(new byte[pad]);
                // z_erofs_map_header: the packed tail's size, big physical clusters (and the packed
                // tail), lz4, 4096-byte lclusters; then 8 reserved bytes, the indexes, the packed tail.
                int advise = Format.ADVISE_BIG_PCLUSTER_1 | (n.inlineExtent > 0 ? Format.ADVISE_INLINE_PCLUSTER : 0);
                out.putShort((short) 0).putShort((short) n.inlineExtent).putShort((short) advise).put((byte) 0).put((byte) 0);
                out.putLong(0);
                copyFromSpool(out, n.mapOffset, n.mapLength + n.inlineExtent);
            } else if (n.inlineTail) {
                if (n.isDirectory()) {
                    List<List<Dirent>> blocks = directoryBlocks(n);
                    out.put(encodeDirectoryBlock(blocks.get(blocks.size() - 1), false));
                } else {
                    copyFromSpool(out, n.tailOffset, (int) n.tailLength());
                }
            }
            if (out.position() - start != n.recordSize()) {
                throw new IOException("internal error: inode " + n.ino + " took " + (out.position() - start)
                        + " bytes, not " + n.recordSize());
            }
        }
        // The rest of the last block stays a hole of the fresh file: finish() extends it with zeros.
        out.flip();
        writeFully(image, out, outPos);
    }

    private void copyFromSpool(ByteBuffer out, long offset, int length) throws IOException {
        ByteBuffer t = out.slice(out.position(), length);
        long p = offset;
        while (t.hasRemaining()) {
            int r = spool.read(t, p);
            if (r < 0) {
                throw new IOException(spoolPath + ": the spool ended early");
            }
            p += r;
        }
        out.position(out.position() + length);
    }

    private void putInode(ByteBuffer b, Node n) {
        int layout = n.compressed ? Format.LAYOUT_COMPRESSED_FULL
                : n.inlineTail ? Format.LAYOUT_FLAT_INLINE : Format.LAYOUT_FLAT_PLAIN;
        int format = (n.extended ? 1 : 0) | layout << 1;
        int icount = n.xattrSize == 0 ? 0 : (n.xattrSize - Format.XATTR_HEADER) / 4 + 1;
        int mode = n.type | n.permissions;
        boolean device = n.type == Format.S_IFCHR || n.type == Format.S_IFBLK;
        int iu = device ? n.rdev : n.compressed ? (int) n.compressedBlocks : (int) n.dataBlock;
        if (n.extended) {
            b.putShort((short) format).putShort((short) icount).putShort((short) mode).putShort((short) 0);
            b.putLong(n.size).putInt(iu).putInt((int) n.ino).putInt((int) n.uid).putInt((int) n.gid);
            b.putLong(n.mtime).putInt(0).putInt((int) n.nlink).put(new byte[16]);
        } else {
            b.putShort((short) format).putShort((short) icount).putShort((short) mode).putShort((short) n.nlink);
            b.putInt((int) n.size).putInt(0).putInt(iu).putInt((int) n.ino);
            b.putShort((short) n.uid).putShort((short) n.gid).putInt(0);
        }
    }

    private void writeSuperblock(long inodes, long metaBlock, long xattrBlock, long blocks) throws IOException {
        ByteBuffer b = Format.le(Format.BLOCK - Format.SUPER_OFFSET);
        b.putInt(Format.MAGIC).putInt(0).putInt(Format.COMPAT_SB_CHKSUM);
        b.put((byte) Format.BLOCK_BITS).put((byte) 0).putShort((short) root.nid);
        b.putLong(inodes).putLong(buildTime).putInt(0).putInt((int) blocks);
        b.putInt((int) metaBlock).putInt((int) xattrBlock);
        ByteBuffer u = ByteBuffer.allocate(16);
        u.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        b.put(u.array());
        if (compressor != null) {
            b.putInt(80, Format.INCOMPAT_ZERO_PADDING | Format.INCOMPAT_BIG_PCLUSTER | Format.INCOMPAT_ZTAILPACKING);
            b.putShort(84, (short) 1); // available algorithms: lz4
            // The lz4 configuration right after the 128-byte superblock: length 14, default max
            // distance, the largest physical cluster in blocks.
            b.position(128);
            b.putShort((short) 14).putShort((short) 0).putShort((short) (compressor.clusterSize / Format.BLOCK));
        }
        // volume name, device fields, prefixes: all zero.
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.capacity());
        // The kernel computes crc32c(~0, ...) without the final inversion that java.util.zip applies.
        b.putInt(4, ~(int) crc.getValue());
        b.position(0);
        writeFully(image, b, Format.SUPER_OFFSET);
    }

    /** Deletes the temporary files unless {@link #finish} moved the image into place. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.shutdownNow();
        }
        try {
            image.close();
            spool.close();
        } finally {
            if (!finished) {
                Files.deleteIfExists(temp);
            }
            Files.deleteIfExists(spoolPath);
        }
    }
}
