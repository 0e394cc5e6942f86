package dev.sysext.fetch.internal.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that {@code NO_PROXY} exempts from proxying, matched as curl does: entries separated by
 * commas or whitespace; a domain matches itself and its subdomains, with or without a leading dot
 * ({@code example.com} and {@code .example.com} both match {@code example.com} and
 * {@code a.example.com}); {@code *} alone exempts everything; an IP address matches only that address
 * as written in the URL (no DNS lookup on either side). Beyond curl 7, as Go and curl 8 do: an entry may
 * carry a port ({@code host:8080}, {@code [::1]:8080}) and then exempts only that port, and an IP
 * entry may be a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) matching IP literals inside it.
 */
public final class NoProxy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private final List<Rule> rules;
    private final boolean all;

    private NoProxy(List<Rule> rules, boolean all) {
        this.rules = rules;
        this.all = all;
    }

    /**
     * Parses a {@code NO_PROXY} value.
     *
     * @throws IllegalArgumentException naming the entry that is not a host, an address or a block
     */
    public static NoProxy parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        boolean all = false;
        for (String raw : entries) {
            for (String e : raw.split("[,\\s]+")) {
                if (e.isEmpty()) {
                    continue;
                }
                if (e.equals("*")) {
                    all = true;
                } else {
                    rules.add(rule(e));
                }
            }
        }
        return new NoProxy(List.copyOf(rules), all);
    }

    /** Whether a request to {@code host} (as in a URI, IPv6 in brackets or not) on {@code port} goes direct. */
    public boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        String h = normalise(host);
        byte[] ip = ipLiteral(h);
        for (Rule r : rules) {
            if (r.port >= 0 && r.port != port) {
                continue;
            }
            if (r.address != null) {
                if (ip != null && ip.length == r.address.length && samePrefix(ip, r.address, r.prefix)) {
                    return true;
                }
            } else if (h.equals(r.domain) || h.endsWith("." + r.domain)) {
                return true;
            }
        }
        return false;
    }

    private record Rule(String domain, byte[] address, int prefix, int port) {
    }

    private static Rule rule(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        int port = -1;
        String hostPart = e;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw bad(entry, "unclosed '['");
            }
            hostPart = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (rest.startsWith("/")) {
                hostPart += rest;
            } else if (rest.startsWith(":")) {
                port = port(entry, rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw bad(entry, "unexpected text after ']'");
            }
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            // One colon: host:port. More: a bare IPv6 address.
            int colon = e.indexOf(':');
            hostPart = e.substring(0, colon);
            port = port(entry, e.substring(colon + 1));
        }
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            byte[] address = ipLiteral(hostPart.substring(0, slash));
            if (address == null) {
                throw bad(entry, "a CIDR block needs an IP address before the '/'");
            }
            int prefix;
            try {
                prefix = Integer.parseInt(hostPart.substring(slash + 1));
            } catch (NumberFormatException x) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw bad(entry, "the prefix length must be 0 to " + address.length * 8);
            }
            return new Rule(null, address, prefix, port);
        }
        byte[] address = ipLiteral(hostPart);
        if (address != null) {
            return new Rule(null, address, address.length * 8, port);
        }
        String domain = normalise(hostPart);
        if (domain.startsWith("*.")) {
            domain = domain.substring(2);
        }
        while (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (domain.isEmpty() || domain.contains("*") || domain.contains("/")) {
            throw bad(entry, "not a host name, domain, IP address or CIDR block");
        }
        return new Rule(domain, null, 0, port);
    }

    private static int port(String entry, String text) {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw bad(entry, "'" + text + "' is not a port number");
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException bad(String entry, String why) {
        return new IllegalArgumentException("NO_PROXY entry '" + entry + "': " + why);
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** The address an IP literal stands for, or null for a name; never a DNS lookup. */
    private static byte[] ipLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] a = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                a[i] = (byte) v;
            }
            return a;
        }
        if (text.indexOf(':') < 0) {
            return null;
        }
        try {
            // In brackets, getByName parses an IPv6 literal and never falls back to DNS.
            byte[] a = InetAddress.getByName("[" + text + "]").getAddress();
            return a;
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        if (bits == 0) {
            return true;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
                .shiftRight(a.length * 8 - bits).shiftLeft(a.length * 8 - bits);
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, b).and(mask));
    }
}
