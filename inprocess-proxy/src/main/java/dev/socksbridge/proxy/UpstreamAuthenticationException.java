package dev.socksbridge.proxy;

import java.io.IOException;

/**
 * An upstream hop refused the credentials configured for it (RFC 1929 status, no acceptable method, or
 * HTTP 407). The client is answered with a general failure (nothing it could change would help); the
 * session's outcome is {@code auth-failed}, so the log line and events say what went wrong.
 */
public class UpstreamAuthenticationException extends IOException {

    public UpstreamAuthenticationException(String message) {
        super(message);
    }
}
