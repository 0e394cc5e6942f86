package dev.sysext.squashfs.internal.write;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.WriteProgress;
import dev.sysext.squashfs.WriterOptions;
import dev.sysext.squashfs.internal.codec.Codec;
import dev.sysext.squashfs.internal.codec.OptionsBlock;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import dev.sysext.squashfs.internal.format.Superblock;
import dev.sysext.squashfs.internal.format.SuperblockFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Builds one image: file data is streamed into the image as it arrives (or, for files given by
 * path, in tree order when the image is finished); inodes, directories and the other tables are
 * written at the end, then the superblock. The image is written to a temporary file beside the
 * target and moved into place only when complete.
 */
public final class ImageWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final ImageOutput out;
    private final WriterOptions options;
    /** Reads placed blocks back to compare duplicates; metadata blocks go through the MetadataPipeline. */
    private final Codec readBackCodec;
    private final BlockProcessor processor;
    private final FragmentTable fragments;
    private final DataWriter data;
    /** Null without deduplication. */
    private final DuplicateFiles duplicates;
    private final Tree tree = new Tree();
    /** The directory of the last file given by path: its siblings share it (see {@link Node}). */
    private Path lastSourceDir;
    private final boolean hasOptionsBlock;
    private final WriteProgress progress;
    private long filesDone;
    private long bytesIn;
    /** The most written so far: a duplicate's blocks are rolled back, yet the count must not go down. */
    private long bytesOut;
    private boolean done;
    /** Set when an entry's content failed half way: the image cannot be completed any more. */
    private String failure;

    /** Starts an image at {@code target}; nothing appears there until {@link #finish()}. */
    public ImageWriter(Path target, WriterOptions options) throws IOException {
        this(target, options, WriteProgress.NONE);
    }

    /** Starts an image at {@code target}, reporting to {@code progress} as file content is consumed. */
    public ImageWriter(Path target, WriterOptions options, WriteProgress progress) throws IOException {
        this.progress = progress;
        this.target = target.toAbsolutePath();
        this.options = options;
        // Also removes what killed runs left in the directory (see PartialFiles).
        this.temp = PartialFiles.create(this.target);
        FileChannel ch = null;
        Codec codec = null;
        BlockProcessor bp = null;
        try {
            ch = PartialFiles.openLocked(temp);
            codec = Codec.create(options.compressor());
            out = new ImageOutput(ch, temp);
            bp = new BlockProcessor(options.compressor(), options.blockSize(), options.workers(), new BlockWriter(out));
            out.append(new byte[Superblock.SIZE]);
            Optional<byte[]> opts = OptionsBlock.encode(options.compressor(), options.blockSize());
            hasOptionsBlock = opts.isPresent();
            if (hasOptionsBlock) {
                byte[] payload = opts.get();
                out.append(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN)
                        .putShort((short) (payload.length | Layout.METADATA_UNCOMPRESSED)).array());
                out.append(payload);
            }
        } catch (IOException | RuntimeException e) {
            if (bp != null) {
                bp.close();
            }
            if (codec != null) {
                codec.close();
            }
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(temp);
            PartialFiles.forget(temp);
            throw e;
        }
        this.channel = ch;
        this.readBackCodec = codec;
        this.processor = bp;
        PlacedBlockReader reader = options.duplicates() ? new PlacedBlockReader(out, codec, options.blockSize()) : null;
        this.fragments = new FragmentTable(options.blockSize(), processor, reader);
        this.duplicates = reader == null ? null : new DuplicateFiles(options.blockSize(), reader, fragments);
        this.data = new DataWriter(options.blockSize(), options.fragments(), options.tailEnds(), processor, fragments,
                out, duplicates);
    }

    public void directory(String path, EntryMetadata metadata) {
        checkOpen();
        tree.directory(path, metadata);
    }

    /** Streams exactly {@code size} bytes of {@code content} into the image now. */
    public void file(String path, EntryMetadata metadata, InputStream content, long size) throws IOException {
        checkOpen();
        if (size < 0) {
            throw new IllegalArgumentException("'" + path + "': negative size " + size);
        }
        Node n = new Node(InodeType.FILE, metadata);
        tree.add(path, n);
        try {
            n.data = data.write(content, size, path);
        } catch (IOException | RuntimeException e) {
            failure = "'" + path + "' could not be written: " + e.getMessage();
            throw e;
        }
        fileDone(size);
    }

    /** Registers a file whose content is read from {@code source} when the image is finished. */
    public void file(String path, EntryMetadata metadata, Path source) {
        file(path, metadata, source, -1);
    }

    /** As {@link #file(String, EntryMetadata, Path)}, with the size the caller read (-1: unknown). */
    public void file(String path, EntryMetadata metadata, Path source, long size) {
        checkOpen();
        Node n = new Node(InodeType.FILE, metadata);
        n.pendingSize = size;
        lastSourceDir = n.pendingSource(source, tree.add(path, n), lastSourceDir);
    }

    public void symlink(String path, EntryMetadata metadata, String target) {
        checkOpen();
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        if (t.length == 0) {
            throw new IllegalArgumentException("'" + path + "': a symlink target cannot be empty");
        }
        Node n = new Node(InodeType.SYMLINK, metadata);
        n.symlinkTarget = t;
        tree.add(path, n);
    }

    public void device(String path, EntryMetadata metadata, boolean block, int major, int minor) {
        checkOpen();
        if (major < 0 || major > 0xFFF || minor < 0 || minor > 0xFFFFF) {
            throw new IllegalArgumentException("'" + path + "': device " + major + ":" + minor
                    + " is outside 0..4095:0..1048575");
        }
        Node n = new Node(block ? InodeType.BLOCK_DEVICE : InodeType.CHAR_DEVICE, metadata);
        // The kernel's new_encode_dev layout.
        n.rdev = (minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12);
        tree.add(path, n);
    }

    public void special(String path, EntryMetadata metadata, boolean socket) {
        checkOpen();
        tree.add(path, new Node(socket ? InodeType.SOCKET : InodeType.FIFO, metadata));
    }

    public void hardLink(String path, String target) {
        checkOpen();
        Node n = tree.lookup(target);
        if (n == null) {
            throw new IllegalArgumentException("hard link '" + path + "': target '" + target + "' has not been added");
        }
        if (n.isDirectory()) {
            throw new IllegalArgumentException("hard link '" + path + "': target '" + target + "' is a directory");
        }
        tree.add(path, n);
        n.names++;
    }

    /** Writes the remaining data, the tables and the superblock, and moves the image into place. */
    public void finish() throws IOException {
        checkOpen();
        if (failure != null) {
            close();
            throw new IllegalStateException("the image " + target + " cannot be finished: " + failure);
        }
        done = true;
        try {
            Map<Long, Integer> sizes = new HashMap<>();
            if (duplicates != null) {
                countPendingSizes(sizes);
            }
            writePendingFiles(sizes);
            fragments.flush();
            processor.drain();
            writeTablesAndSuperblock();
            bytesOut = Math.max(bytesOut, out.position());
            progress.progress(filesDone, bytesIn, bytesOut);
            out.force();
            // Renamed while still open and locked: a cleaner in another run never sees it unlocked.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel.close();
        } finally {
            release();
        }
    }

    /** Discards the image unless {@link #finish()} completed. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            release();
        }
    }

    private void release() throws IOException {
        try {
            out.abandon();
            processor.close();
            readBackCodec.close();
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
            PartialFiles.forget(temp);
        }
    }

    private void fileDone(long size) {
        filesDone++;
        bytesIn += size;
        bytesOut = Math.max(bytesOut, out.position());
        progress.progress(filesDone, bytesIn, bytesOut);
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("the image writer for " + target + " is already finished or closed");
        }
    }

    /** How many files given by path have each size: a file of a size no other has needs no checksum. */
    private void countPendingSizes(Map<Long, Integer> sizes) throws IOException {
        TreeWalk.walk(tree.root, new TreeWalk.Visitor() {
            @Override
            public void leaf(byte[] name, Node n) throws IOException {
                if (n.hasPendingSource() && n.data == null) {
                    if (n.pendingSize < 0) {
                        n.pendingSize = Files.size(n.pendingSource());
                    }
                    sizes.merge(n.pendingSize, 1, Integer::sum);
                }
            }

            @Override
            public void exit(byte[] name, Node directory) {
                // sizes are counted for files only
            }
        });
    }

    /**
     * Files given by path are read in tree order, so the image does not depend on arrival order. With
     * deduplication a file is compared with earlier files before it is compressed, so a duplicate
     * costs a read and a comparison, never a compression.
     */
    private void writePendingFiles(Map<Long, Integer> sizes) throws IOException {
        TreeWalk.walk(tree.root, new TreeWalk.Visitor() {
            @Override
            public void leaf(byte[] name, Node n) throws IOException {
                if (!n.hasPendingSource() || n.data != null) {
                    return;
                }
                Path source = n.pendingSource();
                long size = n.pendingSize >= 0 ? n.pendingSize : Files.size(source);
                // A file smaller than a block becomes a fragment, and the fragment table finds
                // duplicate fragments itself: checking here would read such files twice.
                boolean check = duplicates != null && size > 0 && (size >= options.blockSize() || !options.fragments())
                        && sizes.getOrDefault(size, 0) > 1;
                int crc = check ? duplicates.checksum(source) : 0;
                FileData same = check ? duplicates.findPath(source, size, crc) : null;
                if (same != null) {
                    n.data = same;
                    fileDone(size);
                    return;
                }
                try (InputStream in = Files.newInputStream(source)) {
                    n.data = data.write(in, size, source.toString(), false);
                }
                if (check) {
                    duplicates.addPath(source, size, crc, n.data);
                }
                fileDone(size);
            }

            @Override
            public void exit(byte[] name, Node directory) {
                // nothing to write for directories here
            }
        });
    }

    private void writeTablesAndSuperblock() throws IOException {
        int inodeCount = number(tree.root);
        MetadataPipeline metadata = new MetadataPipeline(processor);
        MetadataPipeline.Table inodeTable = metadata.newTable();
        MetadataPipeline.Table directoryTable = metadata.newTable();
        IdTable ids = new IdTable();
        XattrTable xattrs = options.xattrs() ? new XattrTable(processor) : null;
        InodeWriter inodes = new InodeWriter(inodeTable, directoryTable, ids, xattrs, options);
        DirectoryWriter directories = new DirectoryWriter(directoryTable, inodeTable);
        long[] inodePositions = new long[inodeCount];
        writeDirectories(inodes, directories, inodePositions, inodeCount + 1);
        metadata.finish();

        long inodeTableStart = out.position();
        inodeTable.writeTo(out);
        long directoryTableStart = out.position();
        directoryTable.writeTo(out);
        long fragmentTableStart = fragments.count() == 0 ? out.position()
                : LookupTable.write(out, processor, fragments.encode());
        long exportTableStart = Superblock.NO_TABLE;
        if (options.exportTable()) {
            ByteBuffer b = ByteBuffer.allocate(inodePositions.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long p : inodePositions) {
                b.putLong(inodeTable.ref(p));
            }
            exportTableStart = LookupTable.write(out, processor, b.array());
        }
        long idTableStart = LookupTable.write(out, processor, ids.encode());
        long xattrTableStart = xattrs == null ? Superblock.NO_TABLE : xattrs.write(out);
        long bytesUsed = out.position();
        int pad = (int) ((Layout.DEVICE_BLOCK - bytesUsed % Layout.DEVICE_BLOCK) % Layout.DEVICE_BLOCK);
        out.append(new byte[pad]);
        out.truncate();

        int flags = 0;
        if (!options.fragments()) {
            flags |= SuperblockFlags.NO_FRAGMENTS;
        }
        if (options.tailEnds()) {
            flags |= SuperblockFlags.ALWAYS_FRAGMENTS;
        }
        if (options.exportTable()) {
            flags |= SuperblockFlags.EXPORTABLE;
        }
        if (!options.xattrs()) {
            flags |= SuperblockFlags.NO_XATTRS;
        }
        if (options.duplicates()) {
            flags |= SuperblockFlags.DUPLICATES;
        }
        if (hasOptionsBlock) {
            flags |= SuperblockFlags.COMPRESSOR_OPTIONS;
        }
        Superblock sb = new Superblock(inodeCount, options.mkfsTime(), options.blockSize(), fragments.count(),
                options.compression().id(), Integer.numberOfTrailingZeros(options.blockSize()), flags, ids.size(),
                inodeTable.ref(tree.root.inodePosition), bytesUsed, idTableStart, xattrTableStart, inodeTableStart, directoryTableStart,
                fragmentTableStart, exportTableStart);
        out.writeAt(0, sb.encode());
    }

    /** Numbers inodes depth-first, children in name order, each directory after its contents. */
    private static int number(Node root) throws IOException {
        int[] last = {0};
        TreeWalk.walk(root, new TreeWalk.Visitor() {
            @Override
            public void leaf(byte[] name, Node n) {
                if (n.inodeNumber == 0) { // hard links share the first link's number
                    n.inodeNumber = ++last[0];
                }
            }

            @Override
            public void exit(byte[] name, Node directory) {
                directory.inodeNumber = ++last[0];
            }
        });
        return last[0];
    }

    /**
     * Writes the inodes of everything but directories first, then, directory by directory (each
     * after its contents), the listing and the directory inode. Blocks of the first part refer to
     * nothing, so the workers compress them all at once; only directory inodes and listings wait for
     * each other's block starts (see {@link MetadataPipeline}).
     */
    private void writeDirectories(InodeWriter inodes, DirectoryWriter directories, long[] inodePositions, int rootParent)
            throws IOException {
        TreeWalk.walk(tree.root, new TreeWalk.Visitor() {
            @Override
            public void leaf(byte[] name, Node child) throws IOException {
                if (!child.written()) { // hard links share the first link's inode
                    child.inodePosition = inodes.write(child);
                    inodePositions[child.inodeNumber - 1] = child.inodePosition;
                }
            }

            @Override
            public void exit(byte[] name, Node directory) {
                // directories come second
            }
        });
        Deque<List<DirectoryWriter.Entry>> listings = new ArrayDeque<>();
        Deque<Node> open = new ArrayDeque<>();
        listings.push(new ArrayList<>());
        open.push(tree.root);
        TreeWalk.walk(tree.root, new TreeWalk.Visitor() {
            @Override
            public void enter(byte[] name, Node directory) {
                listings.push(new ArrayList<>(directory.children.size()));
                open.push(directory);
            }

            @Override
            public void leaf(byte[] name, Node child) {
                listings.peek().add(new DirectoryWriter.Entry(name, child.inodePosition, child.inodeNumber, child.type.basicCode()));
            }

            @Override
            public void exit(byte[] name, Node dir) throws IOException {
                DirectoryWriter.Listing listing = directories.write(listings.pop());
                open.pop();
                int parentInode = open.isEmpty() ? rootParent : open.peek().inodeNumber;
                dir.inodePosition = inodes.writeDirectory(dir, listing, parentInode);
                inodePositions[dir.inodeNumber - 1] = dir.inodePosition;
                if (name != null) {
                    listings.peek().add(new DirectoryWriter.Entry(name, dir.inodePosition, dir.inodeNumber, dir.type.basicCode()));
                }
            }
        });
    }
}
