package dev.sysext.squashfs.internal.write;

import dev.sysext.entry.EntryMetadata;
import dev.sysext.squashfs.internal.format.InodeType;
import dev.sysext.squashfs.internal.format.Layout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory tree of the image as entries arrive in any order: missing parents are created with
 * default metadata and take their own metadata when their entry arrives.
 */
final class Tree {
    /** PATH_MAX / 2: no Linux path can be deeper, and it bounds the writer's recursion. */
    static final int MAX_DEPTH = 2048;

    final Node root = new Node(InodeType.DIRECTORY, EntryMetadata.DEFAULT_DIRECTORY);

    /** Splits a relative path into name bytes, refusing absolute paths, "..", and over-long names. */
    static List<byte[]> split(String path) {
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("'" + path + "': absolute paths are not allowed in an image");
        }
        List<byte[]> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("'" + path + "': '..' is not allowed in an image path");
            }
            byte[] name = part.getBytes(StandardCharsets.UTF_8);
            if (name.length > Layout.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("'" + path + "': the name '" + part + "' is " + name.length
                        + " bytes; SquashFS stores at most " + Layout.MAX_NAME_LENGTH);
            }
            if (part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("'" + path + "': names cannot contain NUL");
            }
            names.add(name);
        }
        if (names.size() > MAX_DEPTH) {
            throw new IllegalArgumentException("'" + path.substring(0, 100) + "...' is nested " + names.size()
                    + " levels deep; at most " + MAX_DEPTH + " are allowed");
        }
        return names;
    }

    /** Adds or updates a directory. */
    void directory(String path, EntryMetadata metadata) {
        List<byte[]> names = split(path);
        if (names.isEmpty()) {
            root.metadata(metadata);
            root.explicit = true;
            return;
        }
        Node parent = parentOf(path, names);
        byte[] last = names.get(names.size() - 1);
        Node existing = parent.children.get(last);
        if (existing == null) {
            Node dir = new Node(InodeType.DIRECTORY, metadata);
            dir.explicit = true;
            parent.children.put(last, dir);
        } else if (existing.isDirectory()) {
            existing.metadata(metadata);
            existing.explicit = true;
        } else {
            throw new IllegalArgumentException("'" + path + "' was already added as a " + describe(existing));
        }
    }

    /** Adds a non-directory node under a new name; returns the name (the key in its directory). */
    byte[] add(String path, Node node) {
        List<byte[]> names = split(path);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("'" + path + "': the root of an image must be a directory");
        }
        Node parent = parentOf(path, names);
        byte[] last = names.get(names.size() - 1);
        Node existing = parent.children.get(last);
        if (existing != null) {
            throw new IllegalArgumentException("'" + path + "' was already added as a " + describe(existing));
        }
        parent.children.put(last, node);
        return last;
    }

    /** Looks up an existing entry. */
    Node lookup(String path) {
        Node n = root;
        for (byte[] name : split(path)) {
            n = n.isDirectory() ? n.children.get(name) : null;
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private Node parentOf(String path, List<byte[]> names) {
        Node dir = root;
        for (int i = 0; i < names.size() - 1; i++) {
            Node next = dir.children.get(names.get(i));
            if (next == null) {
                next = new Node(InodeType.DIRECTORY, EntryMetadata.DEFAULT_DIRECTORY);
                dir.children.put(names.get(i), next);
            } else if (!next.isDirectory()) {
                throw new IllegalArgumentException("'" + path + "': '" + new String(names.get(i), StandardCharsets.UTF_8)
                        + "' is a " + describe(next) + ", not a directory");
            }
            dir = next;
        }
        return dir;
    }

    static String describe(Node n) {
        return switch (n.type) {
            case DIRECTORY -> "directory";
            case FILE -> "regular file";
            case SYMLINK -> "symlink";
            case BLOCK_DEVICE -> "block device";
            case CHAR_DEVICE -> "character device";
            case FIFO -> "FIFO";
            case SOCKET -> "socket";
        };
    }
}
