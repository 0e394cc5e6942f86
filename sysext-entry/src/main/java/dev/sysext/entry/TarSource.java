package dev.sysext.entry;

import dev.sysext.entry.internal.archive.ArchiveInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Streams a tar archive into an {@link EntryWriter} (the SquashFS or the EROFS writer): plain,
 * gzip, xz or zstd compressed (detected by magic bytes), ustar, PAX and GNU formats with long
 * names, hard links, symlinks, devices, FIFOs and {@code SCHILY.xattr.*} attributes. Entry content
 * goes straight into the image. Paths that are absolute or contain {@code ..} are refused. On any failure the writer is told it
 * {@linkplain EntryWriter#failed() failed}.
 */
public final class TarSource {
    private static final String XATTR_PREFIX = "SCHILY.xattr.";

    private TarSource() {
    }

    /** Adds every entry of the archive at {@code archive}. */
    public static void addArchive(EntryWriter writer, Path archive, boolean readXattrs) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            addStream(writer, in, archive.toString(), readXattrs);
        } catch (Throwable e) {
            writer.failed(); // a missing or refused archive is the writer's failure: close() cleans up quietly
            throw e;
        }
    }

    /**
     * Adds every entry of a tar stream (the stream is read to the archive's end but not closed).
     *
     * @param name the archive's name for error messages
     * @throws IOException when the stream is not a readable tar archive or an entry is refused; the
     *     message names the archive and the entry
     */
    public static void addStream(EntryWriter writer, InputStream raw, String name, boolean readXattrs)
            throws IOException {
        try {
            addEntries(writer, raw, name, readXattrs);
        } catch (Throwable e) {
            writer.failed(); // a refused archive is the writer's failure: close() cleans up quietly
            throw e;
        }
    }

    private static void addEntries(EntryWriter writer, InputStream raw, String name, boolean readXattrs)
            throws IOException {
        ArchiveInput tar = new ArchiveInput(raw, name, StandardCharsets.UTF_8.name());
        int entries = 0;
        TarArchiveEntry e;
        while ((e = tar.next()) != null) {
            entries++;
            String entryName = e.getName();
            String path = checkedPath(entryName, name);
            EntryMetadata m = metadata(e, readXattrs, name);
            try {
                if (e.isDirectory()) {
                    writer.directory(path, m);
                } else if (e.isLink()) {
                    writer.hardLink(path, checkedPath(e.getLinkName(), name));
                } else if (e.isSymbolicLink()) {
                    writer.symlink(path, m, e.getLinkName());
                } else if (e.isCharacterDevice()) {
                    writer.charDevice(path, m, e.getDevMajor(), e.getDevMinor());
                } else if (e.isBlockDevice()) {
                    writer.blockDevice(path, m, e.getDevMajor(), e.getDevMinor());
                } else if (e.isFIFO()) {
                    writer.fifo(path, m);
                } else if (e.isFile()) {
                    long size = e.isSparse() ? e.getRealSize() : e.getSize();
                    writer.file(path, m, tar.content(size), size);
                } else {
                    throw new IOException(name + ": entry '" + entryName + "' has an unsupported tar type '"
                            + (char) tarType(e) + "'");
                }
            } catch (IllegalArgumentException ex) {
                throw new IOException(name + ": entry '" + entryName + "': " + ex.getMessage(), ex);
            }
        }
        if (entries == 0) {
            throw new IOException(name + ": not a tar archive, or an empty one");
        }
    }

    private static int tarType(TarArchiveEntry e) {
        // Commons Compress has no getter for the raw type flag; the predicates above cover all we store.
        return e.isGNUSparse() ? 'S' : '?';
    }

    /** The image path of a tar name, refusing absolute paths and "..". */
    static String checkedPath(String entryName, String archive) throws IOException {
        if (entryName.startsWith("/")) {
            throw new IOException(archive + ": entry '" + entryName + "' has an absolute path; refusing it");
        }
        for (String part : entryName.split("/")) {
            if (part.equals("..")) {
                throw new IOException(archive + ": entry '" + entryName + "' contains '..'; refusing it");
            }
        }
        return entryName;
    }

    private static EntryMetadata metadata(TarArchiveEntry e, boolean readXattrs, String archive) throws IOException {
        Map<String, byte[]> xattrs = new TreeMap<>();
        if (readXattrs) {
            for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
                String key = h.getKey();
                if (key.startsWith(XATTR_PREFIX)) {
                    String attr = key.substring(XATTR_PREFIX.length());
                    if (attr.startsWith("user.") || attr.startsWith("trusted.") || attr.startsWith("security.")) {
                        // Commons Compress decodes PAX values as UTF-8, which is exact for text values.
                        xattrs.put(attr, h.getValue().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        long mtime = Math.max(0, Math.min(0xFFFFFFFFL, e.getLastModifiedTime().toMillis() / 1000));
        try {
            return new EntryMetadata(e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), mtime, xattrs);
        } catch (IllegalArgumentException ex) {
            throw new IOException(archive + ": entry '" + e.getName() + "': " + ex.getMessage(), ex);
        }
    }
}
