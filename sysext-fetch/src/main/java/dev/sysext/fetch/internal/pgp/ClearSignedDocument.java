package dev.sysext.fetch.internal.pgp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;

/**
 * A document in the OpenPGP cleartext signature framework ({@code gpg --clear-sign}), split into
 * its signed lines (dash-escaping undone) and its signature. Anything but whitespace outside the
 * framework is refused, so no unsigned text can pass for signed text.
 *
 * @param lines the signed lines, dash-escaping removed, line endings removed, trailing whitespace kept
 * @param hashAlgorithms the algorithms named by {@code Hash:} headers (OpenPGP ids), empty if none
 * @param signature the armored signature block
 */
public record ClearSignedDocument(List<String> lines, List<Integer> hashAlgorithms, byte[] signature) {
    private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String SIG_BEGIN = "-----BEGIN PGP SIGNATURE-----";
    private static final String SIG_END = "-----END PGP SIGNATURE-----";

    /** Parses {@code data} (UTF-8). */
    public static ClearSignedDocument parse(byte[] data) throws IOException {
        String[] all = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        int i = 0;
        while (i < all.length && stripEnd(all[i]).isEmpty()) {
            i++;
        }
        if (i == all.length || !stripEnd(all[i]).equals(BEGIN)) {
            throw new IOException("not a clear-signed document: it does not start with '" + BEGIN + "'");
        }
        i++;
        List<Integer> hashes = new ArrayList<>();
        for (; i < all.length && !stripEnd(all[i]).isEmpty(); i++) {
            String h = stripEnd(all[i]);
            if (!h.startsWith("Hash: ")) {
                throw new IOException("unexpected armor header '" + h + "' in the signed message");
            }
            for (String name : h.substring(6).split(",")) {
                hashes.add(hashId(name.trim()));
            }
        }
        if (i == all.length) {
            throw new IOException("clear-signed document ends in its headers");
        }
        i++;
        List<String> lines = new ArrayList<>();
        for (; i < all.length && !stripEnd(all[i]).equals(SIG_BEGIN); i++) {
            String line = chopCr(all[i]);
            if (line.startsWith("- ")) {
                line = line.substring(2);
            } else if (line.startsWith("-")) {
                throw new IOException("line " + (i + 1) + " starts with '-' but is not dash-escaped");
            }
            lines.add(line);
        }
        if (i == all.length) {
            throw new IOException("clear-signed document has no '" + SIG_BEGIN + "'");
        }
        StringBuilder sig = new StringBuilder();
        for (; i < all.length; i++) {
            String line = stripEnd(all[i]);
            sig.append(line).append('\n');
            if (line.equals(SIG_END)) {
                break;
            }
        }
        if (i == all.length) {
            throw new IOException("clear-signed document has no '" + SIG_END + "'");
        }
        for (i++; i < all.length; i++) {
            if (!stripEnd(all[i]).isEmpty()) {
                throw new IOException("text after the signature (line " + (i + 1) + ") is not covered by it");
            }
        }
        return new ClearSignedDocument(List.copyOf(lines), List.copyOf(hashes),
                sig.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes the signature covers: trailing whitespace dropped, CRLF between lines, none after the last. */
    public byte[] canonicalText() {
        return String.join("\r\n", lines.stream().map(ClearSignedDocument::stripEnd).toList())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The signed text as the caller sees it: the covered lines, each ended by a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(stripEnd(l)).append('\n');
        }
        return sb.toString();
    }

    static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String chopCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static int hashId(String name) throws IOException {
        switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "SHA256": return HashAlgorithmTags.SHA256;
            case "SHA384": return HashAlgorithmTags.SHA384;
            case "SHA512": return HashAlgorithmTags.SHA512;
            case "SHA224": return HashAlgorithmTags.SHA224;
            case "SHA1": return HashAlgorithmTags.SHA1;
            case "MD5": return HashAlgorithmTags.MD5;
            case "RIPEMD160": return HashAlgorithmTags.RIPEMD160;
            default: throw new IOException("unknown hash '" + name + "' in the Hash: header");
        }
    }
}
