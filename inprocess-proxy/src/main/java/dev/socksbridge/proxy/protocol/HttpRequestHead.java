package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.x request line and its header fields, read up to and including the empty line and not one
 * byte further (what follows belongs to the tunnel). Lines end with CRLF; a bare LF is tolerated.
 * Malformed input is answered with 400, a head larger than the limit with 431, and a method other than
 * CONNECT with 405 as soon as its request line ended.
 */
public final class HttpRequestHead {

    /** Default limit for the request line plus all header lines. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    private final String method;
    private final String target;
    private final String version;
    private final List<String[]> headers;

    private HttpRequestHead(String method, String target, String version, List<String[]> headers) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
    }

    public static HttpRequestHead decode(InputStream in, int maxBytes) throws IOException {
        int[] budget = {maxBytes};
        String requestLine = readLine(in, budget);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw HttpResponse.rejection(400, "request line: \"" + printable(requestLine)
                    + "\" (expected: METHOD SP TARGET SP HTTP/1.x)");
        }
        if (!parts[0].equals("CONNECT")) {
            // Answered at the end of the request line: a client typing "GET / HTTP/1.1" by hand may never
            // send the empty line, and the header fields of a request this proxy refuses change nothing.
            throw HttpResponse.methodNotAllowed(parts[0]);
        }
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw HttpResponse.rejection(400, "header line: \"" + printable(line) + "\" (expected: Name: value)");
            }
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        return new HttpRequestHead(parts[0], parts[1], parts[2], headers);
    }

    private static String readLine(InputStream in, int[] budget) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (budget[0]-- == 0) {
                throw HttpResponse.rejection(431, "request head: more than the limit of bytes before the empty line");
            }
            int b = Wire.readByte(in, "the end of the HTTP request head");
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b); // ISO-8859-1, byte for byte
        }
    }

    /** At most 80 characters, control characters replaced, so a message can quote client input safely. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 80));
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }

    public String method() {
        return method;
    }

    public String target() {
        return target;
    }

    public String version() {
        return version;
    }

    /** The first header field with this name (case-insensitive), or null. */
    public String header(String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    /**
     * The CONNECT target in authority form, {@code host:port} or {@code [v6]:port}.
     *
     * @throws ProtocolException (400) when it is not one
     */
    public InetSocketAddress authority() throws ProtocolException {
        String host;
        String port;
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            if (close < 0 || close + 1 >= target.length() || target.charAt(close + 1) != ':') {
                throw badAuthority();
            }
            host = target.substring(1, close);
            port = target.substring(close + 2);
        } else {
            int colon = target.lastIndexOf(':');
            if (colon <= 0 || target.indexOf(':') != colon) {
                throw badAuthority();
            }
            host = target.substring(0, colon);
            port = target.substring(colon + 1);
        }
        if (host.isEmpty() || host.indexOf('/') >= 0 || host.indexOf('@') >= 0 || !port.matches("\\d{1,5}")
                || Integer.parseInt(port) > 65535) {
            throw badAuthority();
        }
        return InetSocketAddress.createUnresolved(host.toLowerCase(Locale.ROOT), Integer.parseInt(port));
    }

    private ProtocolException badAuthority() {
        return HttpResponse.rejection(400, "CONNECT target: \"" + printable(target)
                + "\" (expected: host:port or [IPv6]:port)");
    }

    /** Bytes as they would appear on the wire (for tests and clients). */
    public static byte[] encode(String method, String target, String... headerLines) {
        StringBuilder text = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "HttpRequestHead[" + method + " " + printable(target) + " " + version + "]";
    }
}
