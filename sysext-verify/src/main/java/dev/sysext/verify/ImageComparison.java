package dev.sysext.verify;

import dev.sysext.entry.ImageEntry;
import dev.sysext.entry.ImageReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two image files: first byte by byte (the verdict), then, when they differ, their trees
 * (SquashFS or EROFS, each read by the reader its magic calls for), to say which files differ.
 */
public final class ImageComparison {
    private static final int BUFFER = 64 * 1024;

    private ImageComparison() {
    }

    /**
     * The offset of the first byte that differs, or empty when the files are identical (a file that
     * is a prefix of the other differs at its end).
     *
     * @throws IOException when a file cannot be read
     */
    public static OptionalLong firstDifference(Path a, Path b) throws IOException {
        try (InputStream x = new BufferedInputStream(Files.newInputStream(a), BUFFER);
             InputStream y = new BufferedInputStream(Files.newInputStream(b), BUFFER)) {
            return firstDifference(x, y);
        }
    }

    private static OptionalLong firstDifference(InputStream x, InputStream y) throws IOException {
        byte[] bx = new byte[BUFFER];
        byte[] by = new byte[BUFFER];
        long offset = 0;
        while (true) {
            int nx = x.readNBytes(bx, 0, BUFFER);
            int ny = y.readNBytes(by, 0, BUFFER);
            int n = Math.min(nx, ny);
            int i = java.util.Arrays.mismatch(bx, 0, n, by, 0, n);
            if (i >= 0) {
                return OptionalLong.of(offset + i);
            }
            if (nx != ny) {
                return OptionalLong.of(offset + n);
            }
            if (nx == 0) {
                return OptionalLong.empty();
            }
            offset += n;
        }
    }

    /**
     * The entries that differ between two images, in path order, at most {@code limit}: missing or
     * added paths, type, mode, owner, time, size, symlink target, xattrs, file content. Each line is
     * {@code PATH: what differs}; past {@code limit} a last line says more were left out.
     *
     * @throws IOException when an image cannot be read
     */
    public static List<String> treeDifferences(Path expected, Path actual, int limit) throws IOException {
        List<String> out = new ArrayList<>();
        try (ImageReader a = ExtensionImage.open(expected); ImageReader b = ExtensionImage.open(actual)) {
            Map<String, ImageEntry> ea = byPath(a);
            Map<String, ImageEntry> eb = byPath(b);
            TreeSet<String> all = new TreeSet<>(ea.keySet());
            all.addAll(eb.keySet());
            for (String p : all) {
                if (out.size() >= limit) {
                    out.add("... (more differences not shown)");
                    break;
                }
                String shown = p.isEmpty() ? "/" : p;
                ImageEntry x = ea.get(p);
                ImageEntry y = eb.get(p);
                if (x == null) {
                    out.add(shown + ": only in the second image");
                } else if (y == null) {
                    out.add(shown + ": only in the first image");
                } else {
                    String d = entryDifference(a, x, b, y);
                    if (d != null) {
                        out.add(shown + ": " + d);
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, ImageEntry> byPath(ImageReader image) throws IOException {
        Map<String, ImageEntry> m = new TreeMap<>();
        for (ImageEntry e : image.entries()) {
            m.put(e.path(), e);
        }
        return m;
    }

    private static String entryDifference(ImageReader a, ImageEntry x, ImageReader b, ImageEntry y)
            throws IOException {
        if (x.type() != y.type()) {
            return "type " + x.type() + " vs " + y.type();
        }
        if (x.mode() != y.mode()) {
            return String.format("mode %04o vs %04o", x.mode(), y.mode());
        }
        if (x.uid() != y.uid() || x.gid() != y.gid()) {
            return "owner " + x.uid() + "/" + x.gid() + " vs " + y.uid() + "/" + y.gid();
        }
        if (x.mtime() != y.mtime()) {
            return "time " + x.mtime() + " vs " + y.mtime();
        }
        if (!Objects.equals(x.symlinkTarget(), y.symlinkTarget())) {
            return "symlink target '" + x.symlinkTarget() + "' vs '" + y.symlinkTarget() + "'";
        }
        if (!x.xattrs().equals(y.xattrs())) {
            return "xattrs " + x.xattrs() + " vs " + y.xattrs();
        }
        if (x.isFile()) {
            if (x.size() != y.size()) {
                return "size " + x.size() + " vs " + y.size() + " bytes";
            }
            try (InputStream cx = a.open(x); InputStream cy = b.open(y)) {
                OptionalLong d = firstDifference(cx, cy);
                if (d.isPresent()) {
                    return "content differs from byte " + d.getAsLong() + " of the file";
                }
            }
        }
        return null;
    }
}
