package dev.sysext.entry;

import java.io.IOException;

/** Receives the entries of an image one by one, parents before their children (SquashfsImage.walk). */
@FunctionalInterface
public interface ImageVisitor {
    /** Called once per entry, parents before their children. */
    void visit(ImageEntry entry) throws IOException;
}
