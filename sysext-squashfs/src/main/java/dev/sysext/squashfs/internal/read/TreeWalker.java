package dev.sysext.squashfs.internal.read;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageVisitor;
import dev.sysext.entry.ImageXattr;
import dev.sysext.squashfs.SquashfsFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the directory tree depth-first in stored order. Iterative, with every directory inode
 * visited at most once, so neither deep nesting nor a cyclic image can exhaust the stack or loop.
 */
public final class TreeWalker {
    /** Longest path accepted (Linux' PATH_MAX less the NUL); bounds the memory of a deep walk. */
    public static final int MAX_PATH_BYTES = 4095;

    private final ImageStructure image;
    private final boolean withXattrs;

    public TreeWalker(ImageStructure image, boolean withXattrs) {
        this.image = image;
        this.withXattrs = withXattrs;
    }

    private record Frame(String path, int pathBytes, Iterator<DirectoryEntry> entries) {
    }

    public void walk(ImageVisitor visitor) throws IOException {
        Inode root = image.root();
        visitor.visit(toEntry("", root));
        Set<Long> directoriesSeen = new HashSet<>();
        directoriesSeen.add(root.ref());
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame("", 0, image.directories().list(root, image.inodes().area()).iterator()));
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (!f.entries().hasNext()) {
                stack.pop();
                continue;
            }
            DirectoryEntry d = f.entries().next();
            int bytes = f.pathBytes() == 0 ? d.name().length : f.pathBytes() + 1 + d.name().length;
            String name = new String(d.name(), StandardCharsets.UTF_8);
            String path = f.path().isEmpty() ? name : f.path() + "/" + name;
            if (bytes > MAX_PATH_BYTES) {
                throw new SquashfsFormatException("directory table: path '" + truncate(path) + "' is longer than "
                        + MAX_PATH_BYTES + " bytes");
            }
            Inode inode = resolve(d, path);
            visitor.visit(toEntry(path, inode));
            if (inode.type() == dev.sysext.squashfs.internal.format.InodeType.DIRECTORY) {
                if (!directoriesSeen.add(inode.ref())) {
                    throw new SquashfsFormatException("directory table: '" + path + "' refers to directory inode "
                            + inode.number() + " a second time (a directory cycle or hard-linked directory)");
                }
                stack.push(new Frame(path, bytes, image.directories().list(inode, image.inodes().area()).iterator()));
            }
        }
    }

    /** The entry at {@code path} (slash-separated, relative to the root), if there is one. */
    public Optional<ImageEntry> lookup(String path) throws IOException {
        Inode current = image.root();
        StringBuilder at = new StringBuilder();
        for (String part : path.split("/+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (current.type() != dev.sysext.squashfs.internal.format.InodeType.DIRECTORY || part.equals(".") || part.equals("..")) {
                return Optional.empty();
            }
            byte[] want = part.getBytes(StandardCharsets.UTF_8);
            DirectoryEntry found = null;
            for (DirectoryEntry d : image.directories().list(current, image.inodes().area())) {
                if (java.util.Arrays.equals(d.name(), want)) {
                    found = d;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            if (at.length() > 0) {
                at.append('/');
            }
            at.append(part);
            current = resolve(found, at.toString());
        }
        return Optional.of(toEntry(at.toString(), current));
    }

    private Inode resolve(DirectoryEntry d, String path) throws IOException {
        Inode inode = image.inodes().read(d.inodeRef());
        if (inode.number() != d.inodeNumber() || inode.type() != d.type()) {
            throw new SquashfsFormatException("directory table: entry '" + path + "' names inode " + d.inodeNumber()
                    + " (" + d.type() + ") but the inode table holds inode " + inode.number() + " (" + inode.type()
                    + ") there");
        }
        return inode;
    }

    public ImageEntry toEntry(String path, Inode inode) throws IOException {
        String owner = "inode " + inode.number() + (path.isEmpty() ? " (root)" : " ('" + truncate(path) + "')");
        long uid = image.ids().id(inode.uidIndex(), owner + " uid");
        long gid = image.ids().id(inode.gidIndex(), owner + " gid");
        List<ImageXattr> xattrs = List.of();
        if (inode.xattrIndex() >= 0 && withXattrs) {
            XattrTable table = image.xattrs();
            if (table == null) {
                throw new SquashfsFormatException(owner + ": xattr index " + inode.xattrIndex()
                        + " but the image has no xattr table");
            }
            xattrs = table.read(inode.xattrIndex(), owner);
        }
        ImageEntryType type = ImageEntryType.values()[inode.type().ordinal()];
        String target = inode.symlinkTarget() == null ? null : new String(inode.symlinkTarget(), StandardCharsets.UTF_8);
        boolean device = type == ImageEntryType.BLOCK_DEVICE || type == ImageEntryType.CHAR_DEVICE;
        long size = switch (type) {
            case FILE, DIRECTORY, SYMLINK -> inode.size();
            default -> 0;
        };
        return new ImageEntry(path, type, inode.mode(), uid, gid, inode.mtime(), size, inode.nlink(), inode.number(),
                target, device ? inode.deviceMajor() : 0, device ? inode.deviceMinor() : 0, xattrs, inode.ref());
    }

    private static String truncate(String path) {
        return path.length() > 200 ? path.substring(0, 100) + "..." + path.substring(path.length() - 100) : path;
    }
}
