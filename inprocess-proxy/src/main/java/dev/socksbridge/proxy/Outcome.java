package dev.socksbridge.proxy;

/** How a session ended, as a user reads it in a log line; {@link #OPEN} while it is still running. */
public enum Outcome {
    OPEN("open"),
    OK("ok"),
    DENIED("denied"),
    AUTH_FAILED("auth-failed"),
    REFUSED("refused"),
    HOST_UNREACHABLE("host-unreachable"),
    NETWORK_UNREACHABLE("network-unreachable"),
    TIMEOUT("timeout"),
    UNSUPPORTED("unsupported"),
    PROTOCOL_ERROR("protocol-error"),
    FAILED("failed");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
