package dev.sysext.sysupdate;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code SHA256SUMS} manifest: one {@code HEX  NAME} line per file, sorted by file name, every line
 * ending in a newline. This is the format systemd-sysupdate parses to list a URL source's files.
 */
public record ReleaseManifest(List<Entry> entries) {
    /** The manifest's file name in a publish directory. */
    public static final String FILE_NAME = "SHA256SUMS";
    /** The detached signature's file name. */
    public static final String SIGNATURE_FILE_NAME = "SHA256SUMS.gpg";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *]([^/\n]+)");

    /** One file and its SHA-256 digest. */
    public record Entry(String fileName, byte[] sha256) {
        public Entry {
            if (sha256.length != 32) {
                throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
            }
            if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\n")) {
                throw new IllegalArgumentException("not a plain file name: " + fileName);
            }
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }

        /** The digest in lower-case hex. */
        public String hex() {
            return HexFormat.of().formatHex(sha256);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.fileName.equals(fileName) && java.util.Arrays.equals(e.sha256, sha256);
        }

        @Override
        public int hashCode() {
            return fileName.hashCode() * 31 + java.util.Arrays.hashCode(sha256);
        }

        @Override
        public String toString() {
            return hex() + "  " + fileName;
        }
    }

    /** Sorts the entries by file name; refuses a file listed twice. */
    public ReleaseManifest {
        entries = entries.stream().sorted(Comparator.comparing(Entry::fileName)).toList();
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).fileName().equals(entries.get(i - 1).fileName())) {
                throw new IllegalArgumentException("file listed twice: " + entries.get(i).fileName());
            }
        }
    }

    /** The manifest as {@code sha256sum} writes it. */
    public byte[] encode() {
        StringBuilder s = new StringBuilder();
        for (Entry e : entries) {
            s.append(e.hex()).append("  ").append(e.fileName()).append('\n');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a manifest in the form systemd-sysupdate accepts (hex, a space, a space or {@code *},
     * the name).
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static ReleaseManifest parse(String text) {
        if (text.isEmpty()) {
            return new ReleaseManifest(List.of());
        }
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end in a newline");
        }
        String[] lines = text.split("\n", -1);
        java.util.ArrayList<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher m = LINE.matcher(lines[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not 'SHA256  NAME': " + lines[i]);
            }
            entries.add(new Entry(m.group(2), HexFormat.of().parseHex(m.group(1))));
        }
        return new ReleaseManifest(entries);
    }
}
