package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.UpstreamAuthenticationException;
import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.Destination;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The client side of HTTP/1.1 {@code CONNECT} (RFC 9110 section 9.3.6), with {@code Proxy-Authorization:
 * Basic} when the hop has credentials, over a socket already connected to the hop.
 */
final class HttpUpstream {

    private static final int MAX_HEAD = 16 * 1024;

    private HttpUpstream() {
    }

    /**
     * @throws UpstreamRefusal the hop answered with a status that says it could not reach {@code next}
     * @throws UpstreamAuthenticationException 407
     */
    static void connect(Socket socket, Hop hop, Destination next) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request(hop, next).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = readHead(socket.getInputStream());
        int status = status(statusLine);
        if (status / 100 == 2) {
            return;
        }
        if (status == 407 || status == 401) { // tinyproxy answers a CONNECT with wrong credentials 401
            throw new UpstreamAuthenticationException(hop.hasCredentials()
                    ? "authentication failed for user " + hop.user() + " (" + statusLine + ")"
                    : "asks for authentication (" + statusLine + "); give user:pass@ in the hop's URL");
        }
        throw new UpstreamRefusal(failure(status, statusLine));
    }

    static String request(Hop hop, Destination next) {
        String authority = next.toString();
        StringBuilder head = new StringBuilder(128)
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        if (hop.hasCredentials()) {
            String pair = hop.user() + ":" + hop.password();
            head.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /**
     * Reads the response head byte by byte up to the empty line, never further: the tunnel's first bytes
     * (a server that speaks first) must stay in the socket for the relay. Returns the status line.
     */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int last4 = 0; // the last four bytes read; the head ends with CR LF CR LF
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed the connection before its CONNECT response ended ("
                        + head.size() + " bytes read)");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("CONNECT response head over " + MAX_HEAD + " bytes");
            }
            last4 = (last4 << 8) | b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
    }

    private static int status(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length >= 2 && parts[0].startsWith("HTTP/1.") && parts[1].matches("\\d{3}")) {
            return Integer.parseInt(parts[1]);
        }
        throw new IOException("answered CONNECT with '" + printable(statusLine) + "' (expected: HTTP/1.x status line)");
    }

    /** The exception a direct connect failing this way would throw. */
    private static IOException failure(int status, String statusLine) {
        String text = printable(statusLine);
        if (status == 403) {
            return new ConnectionDeniedException(text);
        }
        if (status == 504 || status == 408) {
            return new SocketTimeoutException(text);
        }
        if (status / 100 == 5) {
            return new ConnectException(text); // 500 (tinyproxy), 502, 503 (squid): it could not connect
        }
        return new IOException(text);
    }

    private static String printable(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
