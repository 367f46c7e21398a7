package dev.socksbridge.junit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@link AllowOutbound} entry, parsed once: a host part (name, {@code *.suffix}, IP literal, CIDR,
 * {@code localhost} or {@code *}) and an optional port ({@code *} or absent for any).
 */
final class DestinationPattern {

    private static final int ANY_PORT = -1;
    private static final String EXPECTED = "expected: host, host:port or host:*, where host is a name, "
            + "*.suffix, an IP literal ([::1] for IPv6 with a port), a CIDR block like 10.0.0.0/8, localhost or *";

    private enum Kind { ANY, NAME, SUFFIX, LOCALHOST, ADDRESS, CIDR }

    private final String text;
    private final Kind kind;
    private final String name;
    private final byte[] network;
    private final int prefixLength;
    private final int port;

    private DestinationPattern(String text, Kind kind, String name, byte[] network, int prefixLength, int port) {
        this.text = text;
        this.kind = kind;
        this.name = name;
        this.network = network;
        this.prefixLength = prefixLength;
        this.port = port;
    }

    /** @throws IllegalArgumentException naming the entry and the accepted forms */
    static DestinationPattern parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw invalid(text, "empty entry");
        }
        String host = trimmed;
        String portText = null;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw invalid(text, "missing ']'");
            }
            host = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "unexpected text after ']'");
                }
                portText = rest.substring(1);
            }
        } else if (trimmed.indexOf(':') == trimmed.lastIndexOf(':') && trimmed.indexOf(':') >= 0) {
            int colon = trimmed.indexOf(':');
            host = trimmed.substring(0, colon);
            portText = trimmed.substring(colon + 1);
        }
        return ofHost(text, host, parsePort(text, portText));
    }

    static List<DestinationPattern> parseAll(Iterable<String> texts) {
        List<DestinationPattern> patterns = new ArrayList<>();
        for (String text : texts) {
            patterns.add(parse(text));
        }
        return patterns;
    }

    private static int parsePort(String text, String portText) {
        if (portText == null || portText.equals("*")) {
            return ANY_PORT;
        }
        try {
            int value = Integer.parseInt(portText);
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted forms
        }
        throw invalid(text, "port \"" + portText + "\" is not * or 0-65535");
    }

    private static DestinationPattern ofHost(String text, String host, int port) {
        if (host.isEmpty()) {
            throw invalid(text, "empty host");
        }
        if (host.equals("*")) {
            return new DestinationPattern(text, Kind.ANY, null, null, 0, port);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return new DestinationPattern(text, Kind.LOCALHOST, null, null, 0, port);
        }
        if (host.startsWith("*.") && host.length() > 2) {
            return new DestinationPattern(text, Kind.SUFFIX, host.substring(1).toLowerCase(Locale.ROOT), null, 0, port);
        }
        if (host.contains("*")) {
            throw invalid(text, "'*' is only allowed alone or as a leading '*.'");
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            return cidr(text, host.substring(0, slash), host.substring(slash + 1), port);
        }
        InetAddress literal = IpLiterals.parse(host);
        if (literal != null) {
            byte[] bytes = literal.getAddress();
            return new DestinationPattern(text, Kind.ADDRESS, null, bytes, bytes.length * 8, port);
        }
        if (host.indexOf(':') >= 0) {
            throw invalid(text, "an IPv6 literal with a port needs brackets, e.g. [::1]:443");
        }
        return new DestinationPattern(text, Kind.NAME, host.toLowerCase(Locale.ROOT), null, 0, port);
    }

    private static DestinationPattern cidr(String text, String address, String prefix, int port) {
        InetAddress network = IpLiterals.parse(address);
        if (network == null) {
            throw invalid(text, "\"" + address + "\" is not an IP literal");
        }
        int bits = network.getAddress().length * 8;
        int length;
        try {
            length = Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            throw invalid(text, "prefix length \"" + prefix + "\" is not a number");
        }
        if (length < 0 || length > bits) {
            throw invalid(text, "prefix length " + length + " is not 0-" + bits);
        }
        return new DestinationPattern(text, Kind.CIDR, null, network.getAddress(), length, port);
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("@AllowOutbound: \"" + text + "\" (" + problem + "; " + EXPECTED + ")");
    }

    boolean matches(RecordedConnection connection) {
        if (port != ANY_PORT && port != connection.destination().port()) {
            return false;
        }
        return matchesHost(connection.destination().host())
                || matchesHost(connection.requested().host())
                || matchesAddress(connection.reached());
    }

    private boolean matchesHost(String host) {
        switch (kind) {
            case ANY:
                return true;
            case NAME:
                return host.equalsIgnoreCase(name);
            case SUFFIX:
                return host.toLowerCase(Locale.ROOT).endsWith(name) && !IpLiterals.isLiteral(host);
            case LOCALHOST:
                return IpLiterals.isLoopback(host);
            default:
                return matchesIp(IpLiterals.parse(host));
        }
    }

    private boolean matchesAddress(InetSocketAddress reached) {
        return reached != null && reached.getAddress() != null && matchesHost(reached.getAddress().getHostAddress());
    }

    private boolean matchesIp(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
