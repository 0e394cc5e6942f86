package dev.sysext.squashfs.internal.read;

import dev.sysext.squashfs.ImageInfo;
import dev.sysext.squashfs.SquashfsFormatException;
import dev.sysext.squashfs.internal.codec.OptionsBlock;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import dev.sysext.squashfs.internal.format.Superblock;
import dev.sysext.squashfs.internal.format.SuperblockFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * An open image: the superblock and a reader for each table, all bounded by the image. Opening
 * checks the superblock, the compressor options and the table layout; tables are read on demand.
 */
public final class ImageStructure implements AutoCloseable {
    private final ImageChannel image;
    private final Superblock sb;
    private final CodecPool codecs;
    private final boolean optionsStored;
    private final MetadataBlockReader blocks;
    private final InodeReader inodes;
    private final DirectoryReader directories;
    private final IdTable ids;
    private final FragmentTable fragments;
    private final LookupTable exports;
    private final XattrTable xattrs;
    private final DataReader data;

    private ImageStructure(ImageChannel image) throws IOException {
        this.image = image;
        if (image.size() < Superblock.SIZE) {
            throw new SquashfsFormatException("superblock: image is " + image.size()
                    + " bytes, shorter than a superblock (" + Superblock.SIZE + ")");
        }
        sb = Superblock.decode(image.read(0, Superblock.SIZE, "superblock"), image.size());
        long dataStart = Superblock.SIZE;
        byte[] options = null;
        optionsStored = sb.hasFlag(SuperblockFlags.COMPRESSOR_OPTIONS);
        if (optionsStored) {
            byte[] h = image.read(Superblock.SIZE, 2, "compressor options");
            int word = (h[0] & 0xFF) | (h[1] & 0xFF) << 8;
            int size = word & ~Layout.METADATA_UNCOMPRESSED;
            if ((word & Layout.METADATA_UNCOMPRESSED) == 0 || size == 0 || size > 64) {
                throw new SquashfsFormatException("compressor options: block header 0x" + Integer.toHexString(word)
                        + " at offset 96 is not a small uncompressed block");
            }
            options = image.read(Superblock.SIZE + 2, size, "compressor options");
            dataStart += 2 + size;
        }
        codecs = new CodecPool(OptionsBlock.decode(sb.compressionId(), options, sb.blockSize()));
        blocks = new MetadataBlockReader(image, codecs);
        if (sb.inodeTableStart() < dataStart) {
            throw new SquashfsFormatException("superblock: inode table start " + sb.inodeTableStart()
                    + " overlaps the compressor options ending at " + dataStart);
        }
        long dirStart = sb.directoryTableStart();
        long afterDir = sb.bytesUsed();
        checkAfterDirectory("id table", sb.idTableStart(), dirStart);
        LookupTable idLookup = new LookupTable(image, blocks, "id table", sb.idTableStart(), sb.idCount(), 4, dirStart);
        afterDir = Math.min(afterDir, idLookup.firstBlock());
        if (sb.idCount() == 0) {
            throw new SquashfsFormatException("superblock: id count is 0; every image has at least one id");
        }
        LookupTable fragLookup = null;
        if (sb.fragmentTableStart() != Superblock.NO_TABLE) {
            checkAfterDirectory("fragment table", sb.fragmentTableStart(), dirStart);
            fragLookup = new LookupTable(image, blocks, "fragment table", sb.fragmentTableStart(), sb.fragmentCount(),
                    Layout.FRAGMENT_ENTRY_SIZE, dirStart);
            afterDir = Math.min(afterDir, fragLookup.firstBlock());
        } else if (sb.fragmentCount() != 0) {
            throw new SquashfsFormatException("superblock: " + sb.fragmentCount() + " fragments but no fragment table");
        }
        if (sb.exportTableStart() != Superblock.NO_TABLE) {
            checkAfterDirectory("export table", sb.exportTableStart(), dirStart);
            exports = new LookupTable(image, blocks, "export table", sb.exportTableStart(), sb.inodeCount(), 8, dirStart);
            afterDir = Math.min(afterDir, exports.firstBlock());
        } else {
            exports = null;
        }
        if (sb.xattrIdTableStart() != Superblock.NO_TABLE) {
            checkAfterDirectory("xattr id table", sb.xattrIdTableStart(), dirStart);
            xattrs = XattrTable.open(image, blocks, sb.xattrIdTableStart(), dirStart);
            afterDir = Math.min(afterDir, xattrs.kvStart());
        } else {
            xattrs = null;
        }
        ids = new IdTable(idLookup);
        TableArea inodeArea = new TableArea("inode table", sb.inodeTableStart(), dirStart);
        TableArea dirArea = new TableArea("directory table", dirStart, afterDir);
        inodes = new InodeReader(blocks, inodeArea, sb.inodeCount(), sb.blockSize(), sb.blockLog(), sb.inodeTableStart());
        directories = new DirectoryReader(blocks, dirArea, sb.inodeCount());
        fragments = new FragmentTable(fragLookup, sb.blockSize(), dataStart, sb.inodeTableStart());
        data = new DataReader(image, codecs, fragments, sb.blockSize(), dataStart, sb.inodeTableStart());
        Inode root = inodes.read(sb.rootInodeRef());
        if (root.type() != InodeType.DIRECTORY) {
            throw new SquashfsFormatException("superblock: root inode " + root.number() + " is a " + root.type()
                    + ", not a directory");
        }
    }

    private static void checkAfterDirectory(String name, long start, long dirStart) throws SquashfsFormatException {
        // Equal is fine: the directory table of an image whose only directory is empty has no bytes.
        if (start < dirStart) {
            throw new SquashfsFormatException("superblock: " + name + " start " + start
                    + " lies before the directory table start " + dirStart);
        }
    }

    public static ImageStructure open(Path path) throws IOException {
        ImageChannel channel = new ImageChannel(path);
        try {
            return new ImageStructure(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return image.path();
    }

    public Superblock superblock() {
        return sb;
    }

    /**
     * The content of the regular file whose inode is at {@code inodeReference}, decoded block by
     * block as it is read; {@code path} names it in errors.
     */
    public InputStream openFile(long inodeReference, String path) throws IOException {
        Inode inode = inodes.read(inodeReference);
        if (inode.type() != InodeType.FILE) {
            throw new SquashfsFormatException("inode table: no file inode at reference 0x"
                    + Long.toHexString(inodeReference));
        }
        return new FileContentStream(data(), blocks(), inodes.area(), inode,
                "inode " + inode.number() + " ('" + path + "')");
    }

    /** The inode at {@code reference}. */
    public Inode inode(long reference) throws IOException {
        return inodes.read(reference);
    }

    InodeReader inodes() {
        return inodes;
    }

    public DirectoryReader directories() {
        return directories;
    }

    public IdTable ids() {
        return ids;
    }

    public FragmentTable fragments() {
        return fragments;
    }

    /** The export table, or null when the image is not exportable. */
    public LookupTable exports() {
        return exports;
    }

    /** The xattr table, or null when the image has none. */
    public XattrTable xattrs() {
        return xattrs;
    }

    public DataReader data() {
        return data;
    }

    public MetadataBlockReader blocks() {
        return blocks;
    }

    public Inode root() throws IOException {
        return inodes.read(sb.rootInodeRef());
    }

    public ImageInfo info() {
        return new ImageInfo(codecs.config(), optionsStored, sb.blockSize(), sb.flags(),
                sb.inodeCount(), sb.fragmentCount(), sb.idCount(), xattrs == null ? 0 : xattrs.count(), sb.bytesUsed(),
                image.size(), sb.mkfsTime(), sb.inodeTableStart(), sb.directoryTableStart(),
                orMinusOne(sb.fragmentTableStart()), orMinusOne(sb.exportTableStart()), sb.idTableStart(),
                orMinusOne(sb.xattrIdTableStart()));
    }

    private static long orMinusOne(long start) {
        return start == Superblock.NO_TABLE ? -1 : start;
    }

    @Override
    public void close() throws IOException {
        codecs.close();
        image.close();
    }
}
