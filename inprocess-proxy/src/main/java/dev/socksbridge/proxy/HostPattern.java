package dev.socksbridge.proxy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one destination-pattern grammar of socksbridge (policy {@code allow=}/{@code deny=}, routes, faults,
 * the JUnit annotations): {@code *} (anything), {@code *.example.com} (any sub-domain),
 * {@code api.example.com} (exactly), an IP literal, a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}),
 * each optionally followed by {@code :port} ({@code [::1]:8080} for IPv6). A CIDR range matches only
 * destinations given as IP literals: no name is resolved to decide a rule.
 */
public final class HostPattern {

    private static final int ANY_PORT = -1;

    private final String text;
    private final String host;        // lower case; "*" for any; "*.suffix" for sub-domains
    private final BigInteger network; // non-null for IP literals and CIDR ranges
    private final int prefixBits;
    private final int addressBytes;
    private final int port;

    private HostPattern(String text, String host, BigInteger network, int prefixBits, int addressBytes, int port) {
        this.text = text;
        this.host = host;
        this.network = network;
        this.prefixBits = prefixBits;
        this.addressBytes = addressBytes;
        this.port = port;
    }

    /**
     * @throws IllegalArgumentException naming the entry and the grammar, e.g.
     *         {@code 'api.*.com' (expected: *, *.example.com, ...)}; callers prefix the option it came from
     */
    public static HostPattern parse(String text) {
        String hostPart = text;
        int port = ANY_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad(text);
            }
            hostPart = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(text);
                }
                port = parsePort(text, rest.substring(1));
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            // exactly one colon: host:port (an IPv6 literal has several)
            int colon = text.indexOf(':');
            hostPart = text.substring(0, colon);
            port = parsePort(text, text.substring(colon + 1));
        }
        if (hostPart.isEmpty()) {
            throw bad(text);
        }
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            return cidr(text, hostPart.substring(0, slash), hostPart.substring(slash + 1), port);
        }
        byte[] literal = ipLiteral(hostPart);
        if (literal != null) {
            return new HostPattern(text, null, new BigInteger(1, literal), literal.length * 8, literal.length, port);
        }
        String lower = hostPart.toLowerCase(Locale.ROOT);
        if (!lower.matches("[a-z0-9._*-]+") || !lower.equals("*") && (lower.indexOf('*') > 0 || lower.lastIndexOf('*') > 0
                || (lower.startsWith("*") && !lower.startsWith("*.")))) {
            throw bad(text);
        }
        return new HostPattern(text, lower, null, 0, 0, port);
    }

    /** @param host the destination as named (a name or an IP literal) */
    public boolean matches(String host, int port) {
        if (this.port != ANY_PORT && this.port != port) {
            return false;
        }
        if (network != null) {
            byte[] literal = ipLiteral(host);
            return literal != null && literal.length == addressBytes && inNetwork(new BigInteger(1, literal));
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (this.host.equals("*")) {
            return true;
        }
        if (this.host.startsWith("*.")) {
            return lower.endsWith(this.host.substring(1));
        }
        return lower.equals(this.host);
    }

    private boolean inNetwork(BigInteger address) {
        int shift = addressBytes * 8 - prefixBits;
        return address.shiftRight(shift).equals(network.shiftRight(shift));
    }

    private static HostPattern cidr(String text, String address, String bits, int port) {
        byte[] literal = ipLiteral(address);
        if (literal == null) {
            throw bad(text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            throw bad(text);
        }
        if (prefix < 0 || prefix > literal.length * 8) {
            throw bad(text);
        }
        return new HostPattern(text, null, new BigInteger(1, literal), prefix, literal.length, port);
    }

    /** The bytes of an IPv4 or IPv6 literal, or {@code null} for a host name; never does a DNS lookup. */
    public static byte[] ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            // A literal is parsed without a lookup.
            byte[] bytes = InetAddress.getByName(h).getAddress();
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int parsePort(String text, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(text);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text
                + "' (expected: *, *.example.com, host, IP, CIDR like 10.0.0.0/8 or fd00::/8, each optionally :port)");
    }

    @Override
    public String toString() {
        return text;
    }
}
