package dev.sysext.stage.recipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over archive member paths: {@code *} matches within one path component, {@code **} across
 * components, {@code ?} one character, {@code [abc]} one of a set. The members it places under a
 * directory keep their path below the glob's fixed leading directories: {@code bin/*} places
 * {@code bin/ctr} as {@code ctr}, {@code lib/**} places {@code lib/a/b.so} as {@code a/b.so}.
 *
 * @param text the glob as written
 * @param pattern the equivalent regular expression
 * @param fixedPrefix the leading directories without wildcards, with their trailing slash ({@code bin/})
 */
public record MemberGlob(String text, Pattern pattern, String fixedPrefix) {
    /** Checks for nulls. */
    public MemberGlob {
        Objects.requireNonNull(text);
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(fixedPrefix);
    }

    /**
     * Reads {@code glob}.
     *
     * @throws IllegalArgumentException when it is empty, absolute, climbs with {@code ..}, or has an
     *     unclosed {@code [}
     */
    public static MemberGlob parse(String glob) {
        if (glob.isEmpty() || glob.startsWith("/") || glob.endsWith("/")) {
            throw new IllegalArgumentException("a member glob is a relative path such as bin/* (not empty, no leading"
                    + " or trailing /)");
        }
        List<String> parts = List.of(glob.split("/", -1));
        if (parts.contains("..") || parts.contains("") || parts.contains(".")) {
            throw new IllegalArgumentException("'" + glob + "' has an empty, '.' or '..' component");
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("'[' at offset " + i + " of '" + glob + "' is never closed");
                    }
                    String set = glob.substring(i + 1, end);
                    if (set.contains("/")) {
                        throw new IllegalArgumentException("a [set] cannot hold '/' in '" + glob + "'");
                    }
                    String body = (set.startsWith("!") ? set.substring(1) : set).replace("\\", "\\\\")
                            .replace("[", "\\[").replace("&", "\\&");
                    re.append(set.startsWith("!") ? "[^" : "[").append(body).append(']');
                    i = end;
                }
                case ']' -> throw new IllegalArgumentException("']' at offset " + i + " of '" + glob + "' closes nothing");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        List<String> fixed = new ArrayList<>();
        for (int i = 0; i < parts.size() - 1 && !hasWildcard(parts.get(i)); i++) {
            fixed.add(parts.get(i));
        }
        String prefix = fixed.isEmpty() ? "" : String.join("/", fixed) + "/";
        return new MemberGlob(glob, Pattern.compile(re.toString()), prefix);
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** Whether the glob has no wildcard: it names exactly one member. */
    public boolean isLiteral() {
        return !hasWildcard(text);
    }

    /** Whether {@code member} (a normalised archive path) matches. */
    public boolean matches(String member) {
        return pattern.matcher(member).matches();
    }

    /** The part of {@code member} below the fixed prefix: where it goes under a target directory. */
    public String below(String member) {
        if (isLiteral()) {
            return member.substring(member.lastIndexOf('/') + 1);
        }
        return member.substring(fixedPrefix.length());
    }
}
