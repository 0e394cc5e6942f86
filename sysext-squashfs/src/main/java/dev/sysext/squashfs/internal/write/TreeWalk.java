package dev.sysext.squashfs.internal.write;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Depth-first walk of a directory tree in name order, with an explicit stack: trees may be
 * {@link Tree#MAX_DEPTH} levels deep, more than a thread's stack safely holds as recursion.
 */
final class TreeWalk {

    /** What a walk does at each node, in the order a recursive walk would call it. */
    interface Visitor {
        /** A directory below the root, before its children. */
        default void enter(byte[] name, Node directory) throws IOException {
        }

        /** A non-directory child. */
        default void leaf(byte[] name, Node node) throws IOException {
        }

        /** A directory after all its children; the root last, with a null name. */
        void exit(byte[] name, Node directory) throws IOException;
    }

    private TreeWalk() {
    }

    static void walk(Node root, Visitor visitor) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(null, root));
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.children.hasNext()) {
                Map.Entry<byte[], Node> e = top.children.next();
                Node child = e.getValue();
                if (child.isDirectory()) {
                    visitor.enter(e.getKey(), child);
                    stack.push(new Frame(e.getKey(), child));
                } else {
                    visitor.leaf(e.getKey(), child);
                }
            } else {
                stack.pop();
                visitor.exit(top.name, top.directory);
            }
        }
    }

    private static final class Frame {
        final byte[] name;
        final Node directory;
        final Iterator<Map.Entry<byte[], Node>> children;

        Frame(byte[] name, Node directory) {
            this.name = name;
            this.directory = directory;
            this.children = directory.children.entrySet().iterator();
        }
    }
}
