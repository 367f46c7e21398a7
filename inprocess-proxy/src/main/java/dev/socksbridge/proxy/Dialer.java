package dev.socksbridge.proxy;

import java.io.IOException;
import java.net.Proxy;
import java.net.Socket;

/**
 * Makes the outbound socket for a CONNECT. The server maps the exception a dialer throws to the reply
 * code by its type (never its message): {@link java.net.UnknownHostException} and
 * {@link java.net.NoRouteToHostException} to host unreachable, {@link java.net.ConnectException} to
 * connection refused, {@link java.net.SocketTimeoutException} to TTL expired,
 * {@link ConnectionDeniedException} to not allowed, anything else to general failure.
 */
@FunctionalInterface
public interface Dialer {

    /**
     * Returns a connected socket to the request's destination, or throws. The server sets TCP_NODELAY
     * on it and closes it when the session ends.
     *
     * @param connectTimeoutMillis 0 for no limit
     */
    Socket dial(ConnectionRequest request, int connectTimeoutMillis) throws IOException;

    /**
     * Resolves the destination here (a name the client sent is resolved by the proxy) and connects
     * with {@link Proxy#NO_PROXY}, so the proxy's own sockets never route through a JVM-wide proxy
     * setting, including the one an in-process agent points at this very server.
     */
    static Dialer direct() {
        return DirectDialer.INSTANCE;
    }
}
