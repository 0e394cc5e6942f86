package dev.sysext.squashfs.internal.read;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.squashfs.SquashfsFormatException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads every structure of an image: all inodes and listings through the tree, every data block
 * and fragment, every xattr set, the id table, and the export table against the inodes found.
 * Stops at the first problem.
 */
public final class ImageVerifier {
    private final ImageStructure image;

    public ImageVerifier(ImageStructure image) {
        this.image = image;
    }

    public void verify() throws IOException {
        Map<Long, Long> refByNumber = new HashMap<>();
        TreeWalker walker = new TreeWalker(image, true);
        walker.walk(e -> {
            Long previous = refByNumber.putIfAbsent(e.inodeNumber(), e.inodeReference());
            if (previous != null && previous != e.inodeReference()) {
                throw new SquashfsFormatException("inode table: inode number " + e.inodeNumber()
                        + " is used by two inodes (at '" + e.path() + "' and elsewhere)");
            }
            if (previous == null && e.type() == ImageEntryType.FILE) {
                readContent(e);
            }
        });
        long inodes = image.superblock().inodeCount();
        if (refByNumber.size() != inodes) {
            throw new SquashfsFormatException("superblock: claims " + inodes + " inodes, the directory tree reaches "
                    + refByNumber.size());
        }
        LookupTable exports = image.exports();
        if (exports != null) {
            MetadataCursor c = null;
            for (long i = 0; i < inodes; i++) {
                if (i % 1024 == 0) {
                    c = exports.entry(i);
                }
                long ref = c.u64();
                Long expected = refByNumber.get(i + 1);
                if (expected == null || expected != ref) {
                    throw new SquashfsFormatException("export table: entry for inode " + (i + 1) + " is 0x"
                            + Long.toHexString(ref) + ", the inode lies at 0x"
                            + (expected == null ? "?" : Long.toHexString(expected)));
                }
            }
        }
        for (long f = 0; f < image.fragments().count(); f++) {
            image.data().fragment(f, 0, "fragment table");
        }
        XattrTable xattrs = image.xattrs();
        if (xattrs != null) {
            for (long x = 0; x < xattrs.count(); x++) {
                xattrs.read(x, "xattr id table");
            }
        }
    }

    private void readContent(ImageEntry e) throws IOException {
        Inode inode = image.inodes().read(e.inodeReference());
        try (FileContentStream in = new FileContentStream(image.data(), image.blocks(), image.inodes().area(), inode,
                "inode " + inode.number() + " ('" + e.path() + "')")) {
            long total = in.decodeAll();
            if (total != e.size()) {
                throw new SquashfsFormatException("inode " + inode.number() + " ('" + e.path() + "'): content has "
                        + total + " bytes, the inode says " + e.size());
            }
        }
    }
}
