package dev.sysext.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checksum file: GNU {@code sha256sum}/{@code sha512sum} output ({@code <hex>  name} or
 * {@code <hex> *name}), BSD style ({@code SHA256 (name) = <hex>}), or a bare hash alone (Kubernetes'
 * {@code .sha256}). The algorithm follows from the hash length or the BSD tag. Lines that fit none
 * of these are ignored (PGP framing is removed beforehand by the signature check).
 */
public final class ChecksumFile {
    private static final Pattern GNU = Pattern.compile("\\\\?([0-9A-Fa-f]{64}|[0-9A-Fa-f]{128}) [ *](.+)");
    private static final Pattern BSD = Pattern.compile("(SHA256|SHA512|SHA-256|SHA-512) ?\\((.+)\\) ?= ?([0-9A-Fa-f]+)");
    private static final Pattern BARE = Pattern.compile("([0-9A-Fa-f]{64}|[0-9A-Fa-f]{128})");

    private record Entry(String name, Checksum checksum) {
    }

    private final String source;
    private final List<Entry> entries;
    private final Checksum bare;

    private ChecksumFile(String source, List<Entry> entries, Checksum bare) {
        this.source = source;
        this.entries = entries;
        this.bare = bare;
    }

    /**
     * Reads the entries of {@code text}.
     *
     * @param source where the text came from (URL or file), named in messages
     */
    public static ChecksumFile parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        Checksum bare = null;
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String line : lines) {
            Matcher g = GNU.matcher(line);
            Matcher b = BSD.matcher(line);
            if (g.matches()) {
                String hex = g.group(1);
                entries.add(new Entry(g.group(2), new Checksum(HashAlgorithm.ofHexLength(hex.length()).orElseThrow(),
                        hex, source)));
            } else if (b.matches()) {
                HashAlgorithm a = HashAlgorithm.ofName(b.group(1)).orElseThrow();
                if (b.group(3).length() == a.hexLength()) {
                    entries.add(new Entry(b.group(2), new Checksum(a, b.group(3), source)));
                }
            }
        }
        if (entries.isEmpty() && lines.size() == 1 && BARE.matcher(lines.get(0)).matches()) {
            String hex = lines.get(0);
            bare = new Checksum(HashAlgorithm.ofHexLength(hex.length()).orElseThrow(), hex, source);
        }
        return new ChecksumFile(source, List.copyOf(entries), bare);
    }

    /**
     * The expected checksum of {@code fileName}: its entry, or the bare hash of a one-hash file.
     * Entries may name the file with a directory ({@code ./bin/x} matches {@code x}) only when no
     * entry names it exactly.
     *
     * @throws VerificationException when the file has no entry (never a silent pass), or has two
     *     entries that disagree
     */
    public Checksum expectedFor(String fileName) throws VerificationException {
        if (bare != null) {
            return bare;
        }
        Optional<Checksum> exact = unique(fileName, entries.stream().filter(e -> e.name.equals(fileName)).toList());
        if (exact.isPresent()) {
            return exact.get();
        }
        Optional<Checksum> byBase = unique(fileName, entries.stream()
                .filter(e -> e.name.endsWith("/" + fileName)).toList());
        return byBase.orElseThrow(() -> new VerificationException(source + ": no checksum for '" + fileName
                + "' (" + entries.size() + (entries.size() == 1 ? " entry" : " entries") + " in the file)"));
    }

    private Optional<Checksum> unique(String fileName, List<Entry> found) throws VerificationException {
        if (found.isEmpty()) {
            return Optional.empty();
        }
        for (Entry e : found) {
            Checksum first = found.get(0).checksum;
            if (e.checksum.algorithm() == first.algorithm() && !e.checksum.hex().equals(first.hex())) {
                throw new VerificationException(source + ": conflicting checksums for '" + fileName + "'");
            }
        }
        return Optional.of(found.get(0).checksum);
    }

    /** Number of named entries. */
    public int size() {
        return entries.size();
    }
}
