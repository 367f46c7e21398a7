package dev.socksbridge.proxy;

/**
 * The wire protocol a session arrived with; the first byte on the listening port tells them apart. The last
 * three only name what the agent observed without the proxy.
 */
public enum Protocol {
    SOCKS5("socks5"),
    SOCKS4("socks4"),
    SOCKS4A("socks4a"),
    HTTP_CONNECT("http-connect"),
    /** No handshake: the destination was registered for the client port beforehand ({@link TransparentRoutes}). */
    TRANSPARENT("transparent"),
    /** The agent's records of what it saw without the proxy: a direct connection, a lookup, datagrams sent. */
    TCP("tcp"), DNS("dns"), UDP("udp");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name used in log lines and JSON events. */
    public String label() {
        return label;
    }
}
