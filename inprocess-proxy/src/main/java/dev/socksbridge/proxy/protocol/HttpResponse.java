package dev.socksbridge.proxy.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The proxy's HTTP/1.1 answers: {@code 200 Connection established} for a tunnel (no body, the tunnel
 * follows), and errors with a short text body and {@code Connection: close}.
 */
public final class HttpResponse {

    /** The realm the 407 names in {@code Proxy-Authenticate: Basic realm="socksbridge"}. */
    public static final String REALM = "socksbridge";

    private HttpResponse() {
    }

    public static byte[] established() {
        return "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An error response with a one-line text body, then the server closes. */
    public static byte[] error(int status, String body, String... extraHeaders) {
        byte[] content = (body + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(160);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (String header : extraHeaders) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Type: text/plain; charset=utf-8\r\n");
        head.append("Content-Length: ").append(content.length).append("\r\n");
        head.append("Connection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(content, 0, out, headBytes.length, content.length);
        return out;
    }

    /** 407 asking for Basic credentials. */
    public static byte[] proxyAuthenticationRequired() {
        return error(407, "proxy authentication required",
                "Proxy-Authenticate: Basic realm=\"" + REALM + "\"");
    }

    /** The HTTP status that stands for a SOCKS5 reply code. */
    public static int statusFor(ReplyCode code) {
        switch (code) {
            case SUCCEEDED: return 200;
            case NOT_ALLOWED: return 403;
            case TTL_EXPIRED: return 504;
            case COMMAND_NOT_SUPPORTED: return 405;
            case ADDRESS_TYPE_NOT_SUPPORTED: return 400;
            default: return 502; // refused, unreachable, general failure: the gateway could not reach the target
        }
    }

    /** Malformed or unsupported input: answer {@code status} with the message as body, then close. */
    static ProtocolException rejection(int status, String message) {
        return new ProtocolException(message, error(status, message), status);
    }

    /** A method other than CONNECT: 405 naming the one this proxy supports. */
    public static ProtocolException methodNotAllowed(String method) {
        String message = "method: " + method + " (expected: CONNECT; socksbridge tunnels with CONNECT and does"
                + " not forward plain-HTTP requests)";
        return new ProtocolException(message, error(405, message, "Allow: CONNECT"), 405);
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "Connection established";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 405: return "Method Not Allowed";
            case 407: return "Proxy Authentication Required";
            case 431: return "Request Header Fields Too Large";
            case 502: return "Bad Gateway";
            case 504: return "Gateway Timeout";
            default: return "Error";
        }
    }
}
