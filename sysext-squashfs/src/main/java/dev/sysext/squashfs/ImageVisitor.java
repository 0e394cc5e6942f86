package dev.sysext.squashfs;

import java.io.IOException;

/** Receives the entries of an image during {@link SquashfsImage#walk(ImageVisitor)}. */
@FunctionalInterface
public interface ImageVisitor {
    /** Called once per entry, parents before their children. */
    void visit(ImageEntry entry) throws IOException;
}
