package dev.sysext.entry.internal.tree;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageEntryType;
import dev.sysext.entry.ImageExtractOptions;
import dev.sysext.entry.ImageExtractReport;
import dev.sysext.entry.ImageReader;
import dev.sysext.entry.ImageXattr;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an image's tree into a directory: content, modes, owners, mtimes, symlinks, hard links,
 * devices and FIFOs (devices need root), {@code user.*} xattrs. Directory metadata is applied last,
 * deepest first, so read-only directories and mtimes survive the writes into them. Works on any
 * {@link ImageReader}: it needs only the entries and the content of files.
 */
public final class TreeExtractor {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** Holes are kept at this granularity: the page size, the smallest block a file system allocates. */
    private static final int HOLE = 4096;
    private static final int BUFFER = 32 * HOLE;

    private final ImageReader image;
    private final ImageExtractOptions options;
    private final Path dest;
    private final Map<Long, Path> extractedInodes = new HashMap<>();
    private final List<ImageEntry> directories = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private long files;
    private long symlinks;
    private long hardLinks;
    private long specials;

    public TreeExtractor(ImageReader image, ImageExtractOptions options, Path dest) {
        this.image = image;
        this.options = options;
        this.dest = dest.toAbsolutePath().normalize();
    }

    public ImageExtractReport extract() throws IOException {
        if (Files.exists(dest, NOFOLLOW)) {
            if (!Files.isDirectory(dest, NOFOLLOW)) {
                throw new FileAlreadyExistsException(dest.toString(), null, "exists and is not a directory");
            }
            if (!options.force()) {
                try (var s = Files.list(dest)) {
                    if (s.findAny().isPresent()) {
                        throw new FileAlreadyExistsException(dest.toString(), null,
                                "is not empty; extract with force to write into it");
                    }
                }
            }
        } else {
            Files.createDirectories(dest);
        }
        for (ImageEntry e : image.entries()) {
            write(e);
        }
        for (int i = directories.size() - 1; i >= 0; i--) {
            ImageEntry d = directories.get(i);
            applyMetadata(target(d), d);
        }
        return new ImageExtractReport(directories.size(), files, symlinks, hardLinks, specials, skipped);
    }

    private Path target(ImageEntry e) throws IOException {
        Path p = e.path().isEmpty() ? dest : dest.resolve(e.path()).normalize();
        if (!p.startsWith(dest)) {
            throw new IOException("refusing to write '" + e.path() + "' outside " + dest);
        }
        return p;
    }

    private void write(ImageEntry e) throws IOException {
        Path p = target(e);
        if (e.type() == ImageEntryType.DIRECTORY) {
            if (!Files.isDirectory(p, NOFOLLOW)) {
                clear(p);
                Files.createDirectory(p);
            }
            directories.add(e);
            return;
        }
        clear(p);
        Path first = extractedInodes.get(e.inodeNumber());
        if (first != null) {
            Files.createLink(p, first);
            hardLinks++;
            return;
        }
        switch (e.type()) {
            case FILE -> {
                writeContent(e, p);
                files++;
            }
            case SYMLINK -> {
                Files.createSymbolicLink(p, Path.of(e.symlinkTarget()));
                symlinks++;
            }
            case FIFO -> {
                run(e, "mkfifo", "--", p.toString());
                specials++;
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                if (!ImageExtractOptions.isRoot()) {
                    skipped.add(e.path() + ": device nodes need root");
                    return;
                }
                run(e, "mknod", "--", p.toString(), e.type() == ImageEntryType.BLOCK_DEVICE ? "b" : "c",
                        Integer.toString(e.deviceMajor()), Integer.toString(e.deviceMinor()));
                specials++;
            }
            case SOCKET -> {
                try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    s.bind(UnixDomainSocketAddress.of(p));
                }
                specials++;
            }
            default -> throw new IllegalStateException(e.type().toString());
        }
        extractedInodes.put(e.inodeNumber(), p);
        applyMetadata(p, e);
    }

    /** Makes room for an entry when extracting over existing content; never follows a symlink. */
    private void clear(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) {
            return;
        }
        if (!options.force()) {
            throw new FileAlreadyExistsException(p.toString());
        }
        try {
            Files.delete(p);
        } catch (DirectoryNotEmptyException ex) {
            throw new FileAlreadyExistsException(p.toString(), null, "is a non-empty directory in the way");
        }
    }

    private void run(ImageEntry e, String... command) throws IOException {
        Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        try {
            if (proc.waitFor() != 0) {
                throw new IOException(e.path() + ": " + command[0] + " failed: " + out);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(command[0] + " interrupted");
        }
    }

    /**
     * Copies content, leaving all-zero pages as holes so sparse files stay sparse; the runs of pages
     * between holes are written in one call each.
     */
    private void writeContent(ImageEntry e, Path p) throws IOException {
        byte[] buf = new byte[BUFFER];
        try (InputStream in = image.open(e);
                FileChannel out = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, BUFFER)) > 0) {
                int run = -1;
                for (int page = 0; page < n; page += HOLE) {
                    int end = Math.min(n, page + HOLE);
                    boolean zero = allZero(buf, page, end);
                    if (!zero && run < 0) {
                        run = page;
                    } else if (zero && run >= 0) {
                        write(out, buf, run, page, pos);
                        run = -1;
                    }
                }
                if (run >= 0) {
                    write(out, buf, run, n, pos);
                }
                pos += n;
            }
            if (out.size() < pos) {
                out.write(ByteBuffer.wrap(new byte[1]), pos - 1);
            }
        }
    }

    private static void write(FileChannel out, byte[] buf, int from, int to, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, from, to - from);
        while (b.hasRemaining()) {
            out.write(b, pos + b.position());
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void applyMetadata(Path p, ImageEntry e) throws IOException {
        boolean link = e.type() == ImageEntryType.SYMLINK;
        if (options.owners()) {
            Files.setAttribute(p, "unix:uid", (int) e.uid(), NOFOLLOW);
            Files.setAttribute(p, "unix:gid", (int) e.gid(), NOFOLLOW);
        }
        boolean openable = e.type() == ImageEntryType.FILE || e.type() == ImageEntryType.DIRECTORY;
        if (options.xattrs() && openable) {
            writeXattrs(p, e); // before chmod: a read-only mode would forbid it to non-root callers
        }
        if (!link) {
            // After chown, which clears setuid and setgid.
            Files.setAttribute(p, "unix:mode", e.mode());
        }
        if (openable) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.fromMillis(e.mtime() * 1000), null, null);
        } else {
            // Java opens a file to set its times: that blocks on a FIFO and would open a device.
            // touch -h sets them through the path without opening or following it.
            run(e, "touch", "-h", "-d", "@" + e.mtime(), "--", p.toString());
        }
    }

    private void writeXattrs(Path p, ImageEntry e) throws IOException {
        if (e.xattrs().isEmpty()) {
            return;
        }
        // Java sets xattrs through an open file descriptor: only files and directories get them.
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        for (ImageXattr x : e.xattrs()) {
            if (!x.name().startsWith("user.") || view == null) {
                skipped.add(e.path() + ": xattr " + x.name() + " cannot be set here");
                continue;
            }
            try {
                view.write(x.name().substring(5), ByteBuffer.wrap(x.value()));
            } catch (IOException ex) {
                skipped.add(e.path() + ": xattr " + x.name() + ": " + ex.getMessage());
            }
        }
    }
}
