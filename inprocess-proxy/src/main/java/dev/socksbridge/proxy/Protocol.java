package dev.socksbridge.proxy;

/** The wire protocol a session arrived with; the first byte on the listening port tells them apart. */
public enum Protocol {
    SOCKS5("socks5"),
    SOCKS4("socks4"),
    SOCKS4A("socks4a"),
    HTTP_CONNECT("http-connect"),
    /** No handshake: the destination was registered for the client port beforehand ({@link TransparentRoutes}). */
    TRANSPARENT("transparent");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The name used in log lines and JSON events. */
    public String label() {
        return label;
    }
}
