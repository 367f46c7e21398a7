package dev.socksbridge.proxy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The one destination-pattern grammar of socksbridge (policy {@code allow=}/{@code deny=}, routes, faults,
 * the JUnit annotations): {@code host}, {@code host:port} or {@code host:*}, where host is {@code *}
 * (anything), {@code *.example.com} (any sub-domain, never an IP literal), a name such as
 * {@code api.example.com} (exactly, ignoring case), an IP literal ({@code [::1]} for IPv6 with a port) or a
 * CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}). No port, or {@code *}, means any port. An address
 * pattern matches only destinations given as IP literals: no name is resolved to decide a rule.
 */
public final class HostPattern {

    private static final int ANY_PORT = -1;
    private static final String EXPECTED = "expected: host, host:port or host:*, where host is a name, *.suffix, "
            + "an IP literal ([::1] for IPv6 with a port), a CIDR block like 10.0.0.0/8 or fd00::/8, or *";

    private final String text;
    private final String host;        // lower case; "*" for any; "*.suffix" for sub-domains; null for addresses
    private final BigInteger network; // non-null for IP literals and CIDR ranges
    private final int prefixBits;
    private final int addressBytes;
    private final int port;

    private HostPattern(String text, String host, byte[] network, int prefixBits, int port) {
        this.text = text;
        this.host = host;
        this.network = network == null ? null : new BigInteger(1, network);
        this.prefixBits = prefixBits;
        this.addressBytes = network == null ? 0 : network.length;
        this.port = port;
    }

    /**
     * @throws IllegalArgumentException whose message is the entry in single quotes followed by the problem
     *         and the accepted forms in parentheses, e.g. {@code 'api.*.com' ('*' is only allowed ...; expected:
     *         ...)}; callers put the option or annotation it came from in front
     */
    public static HostPattern parse(String text) {
        String entry = text == null ? "" : text.trim();
        if (entry.isEmpty()) {
            throw bad(text, "empty entry");
        }
        String hostPart = entry;
        String portPart = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw bad(text, "missing ']'");
            }
            hostPart = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw bad(text, "unexpected text after ']'");
            }
            portPart = rest.isEmpty() ? null : rest.substring(1);
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') >= 0) {
            // exactly one colon: host:port (an IPv6 literal has several)
            hostPart = entry.substring(0, entry.indexOf(':'));
            portPart = entry.substring(entry.indexOf(':') + 1);
        }
        return ofHost(text, hostPart, parsePort(text, portPart));
    }

    private static HostPattern ofHost(String text, String hostPart, int port) {
        if (hostPart.isEmpty()) {
            throw bad(text, "empty host");
        }
        String lower = hostPart.toLowerCase(Locale.ROOT);
        if (lower.equals("*") || lower.startsWith("*.") && lower.length() > 2 && lower.indexOf('*', 1) < 0) {
            return new HostPattern(text, lower, null, 0, port);
        }
        if (lower.contains("*")) {
            throw bad(text, "'*' is only allowed alone or as a leading '*.'");
        }
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            return cidr(text, hostPart.substring(0, slash), hostPart.substring(slash + 1), port);
        }
        byte[] literal = ipLiteral(hostPart);
        if (literal != null) {
            return new HostPattern(text, null, literal, literal.length * 8, port);
        }
        if (hostPart.indexOf(':') >= 0) {
            throw bad(text, "an IPv6 literal with a port needs brackets, e.g. [::1]:443");
        }
        if (hostPart.chars().anyMatch(Character::isWhitespace)) {
            throw bad(text, "a host name has no spaces");
        }
        return new HostPattern(text, lower, null, 0, port);
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
            return lower.endsWith(this.host.substring(1)) && ipLiteral(host) == null;
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
            throw bad(text, "\"" + address + "\" is not an IP literal");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            throw bad(text, "prefix length \"" + bits + "\" is not a number");
        }
        if (prefix < 0 || prefix > literal.length * 8) {
            throw bad(text, "prefix length " + prefix + " is not 0-" + literal.length * 8);
        }
        return new HostPattern(text, null, literal, prefix, port);
    }

    /** The bytes of an IPv4 or IPv6 literal (brackets and a zone allowed), or {@code null} for a host name. */
    public static byte[] ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int zone = h.indexOf('%');
        h = zone > 0 ? h.substring(0, zone) : h;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        // Starting with a hex digit or ':' and holding a ':', getByName parses it as IPv6 or fails: no lookup.
        boolean v6 = h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static int parsePort(String text, String value) {
        if (value == null || value.equals("*")) {
            return ANY_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(text, "port \"" + value + "\" is not * or 1-65535");
    }

    private static IllegalArgumentException bad(String text, String problem) {
        return new IllegalArgumentException("'" + text + "' (" + problem + "; " + EXPECTED + ")");
    }

    @Override
    public String toString() {
        return text;
    }
}
