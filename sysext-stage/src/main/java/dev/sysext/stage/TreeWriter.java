package dev.sysext.stage;

import dev.sysext.erofs.ErofsWriter;
import dev.sysext.squashfs.EntryMetadata;
import dev.sysext.squashfs.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** What {@link ImageTree} writes into: the SquashFS or the EROFS writer, which take the same entries. */
interface TreeWriter {
    void directory(String path, EntryMetadata m);

    void file(String path, EntryMetadata m, InputStream content, long size) throws IOException;

    void file(String path, EntryMetadata m, Path source) throws IOException;

    void symlink(String path, EntryMetadata m, String target) throws IOException;

    void hardLink(String path, String target) throws IOException;

    static TreeWriter of(SquashfsWriter w) {
        return new TreeWriter() {
            @Override
            public void directory(String path, EntryMetadata m) {
                w.directory(path, m);
            }

            @Override
            public void file(String path, EntryMetadata m, InputStream content, long size) throws IOException {
                w.file(path, m, content, size);
            }

            @Override
            public void file(String path, EntryMetadata m, Path source) throws IOException {
                w.file(path, m, source);
            }

            @Override
            public void symlink(String path, EntryMetadata m, String target) throws IOException {
                w.symlink(path, m, target);
            }

            @Override
            public void hardLink(String path, String target) throws IOException {
                w.hardLink(path, target);
            }
        };
    }

    static TreeWriter of(ErofsWriter w) {
        return new TreeWriter() {
            @Override
            public void directory(String path, EntryMetadata m) {
                w.directory(path, m);
            }

            @Override
            public void file(String path, EntryMetadata m, InputStream content, long size) throws IOException {
                w.file(path, m, content, size);
            }

            @Override
            public void file(String path, EntryMetadata m, Path source) throws IOException {
                w.file(path, m, source);
            }

            @Override
            public void symlink(String path, EntryMetadata m, String target) throws IOException {
                w.symlink(path, m, target);
            }

            @Override
            public void hardLink(String path, String target) throws IOException {
                w.hardLink(path, target);
            }
        };
    }
}
