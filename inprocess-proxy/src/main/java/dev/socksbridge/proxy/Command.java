package dev.socksbridge.proxy;

/** What a client asked the proxy to do, independent of the protocol it spoke. */
public enum Command {
    CONNECT("connect"),
    BIND("bind"),
    UDP_ASSOCIATE("udp-associate"),
    /** The agent's records only: a host name lookup, datagram totals. */
    RESOLVE("resolve"), SEND("send");

    private final String label;

    Command(String label) {
        this.label = label;
    }

    /** The name used in log lines and JSON events. */
    public String label() {
        return label;
    }
}
