package dev.socksbridge.junit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP literals without ever asking DNS (a host name gives {@code null}). */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private IpLiterals() {
    }

    /** The address of an IPv4 or IPv6 literal ({@code [::1]} brackets allowed), else {@code null}. */
    static InetAddress parse(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!IPV4.matcher(literal).matches() && literal.indexOf(':') < 0) {
            return null;
        }
        try {
            // For a literal, getByName parses and never resolves.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isLiteral(String host) {
        return parse(host) != null;
    }

    /** {@code localhost} or a loopback literal; never asks DNS. */
    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        InetAddress address = parse(host);
        return address != null && address.isLoopbackAddress();
    }
}
