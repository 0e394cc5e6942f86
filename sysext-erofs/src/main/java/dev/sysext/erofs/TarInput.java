package dev.sysext.erofs;

import dev.sysext.entry.EntryMetadata;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Feeds a tar archive to an {@link ErofsWriter}. The SquashFS module's TarSource does the same for
 * its writer; once both writers share an entry-sink interface, one reader will serve both.
 */
final class TarInput {
    private static final String XATTR = "SCHILY.xattr.";

    private TarInput() {
    }

    static void add(ErofsWriter writer, InputStream raw, String name, boolean xattrs) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            String format = CompressorStreamFactory.detect(in);
            in = new CompressorStreamFactory(true).createCompressorInputStream(format, in);
        } catch (CompressorException e) {
            // Not a compressed stream: a plain tar (or not a tar, which the tar reader reports).
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
        int count = 0;
        while (true) {
            TarArchiveEntry e;
            try {
                e = tar.getNextEntry();
            } catch (IOException | IllegalArgumentException ex) {
                throw new IOException(name + ": not a readable tar archive: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            count++;
            String path = e.getName();
            try {
                EntryMetadata m = metadata(e, xattrs);
                if (e.isDirectory()) {
                    writer.directory(path, m);
                } else if (e.isLink()) {
                    writer.hardLink(path, e.getLinkName());
                } else if (e.isSymbolicLink()) {
                    writer.symlink(path, m, e.getLinkName());
                } else if (e.isCharacterDevice()) {
                    writer.charDevice(path, m, e.getDevMajor(), e.getDevMinor());
                } else if (e.isBlockDevice()) {
                    writer.blockDevice(path, m, e.getDevMajor(), e.getDevMinor());
                } else if (e.isFIFO()) {
                    writer.fifo(path, m);
                } else if (e.isFile()) {
                    writer.file(path, m, tar, e.isSparse() ? e.getRealSize() : e.getSize());
                } else {
                    throw new IOException("an entry type that EROFS images do not hold");
                }
            } catch (IOException | IllegalArgumentException ex) {
                throw new IOException(name + ": entry '" + path + "': " + ex.getMessage(), ex);
            }
        }
        if (count == 0) {
            throw new IOException(name + ": not a tar archive, or an empty one");
        }
    }

    private static EntryMetadata metadata(TarArchiveEntry e, boolean xattrs) {
        Map<String, byte[]> x = new TreeMap<>();
        if (xattrs) {
            for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
                String key = h.getKey();
                if (key.startsWith(XATTR)) {
                    String attr = key.substring(XATTR.length());
                    if (attr.startsWith("user.") || attr.startsWith("trusted.") || attr.startsWith("security.")) {
                        x.put(attr, h.getValue().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        long mtime = Math.max(0, Math.min(0xFFFFFFFFL, Math.floorDiv(e.getLastModifiedTime().toMillis(), 1000)));
        return new EntryMetadata(e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), mtime, x);
    }
}
