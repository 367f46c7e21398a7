package dev.socksbridge.agent.bootstrap;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Why the in-process proxy could not connect an app's socket, kept per caller tag until the app's connect
 * returns. The proxy runs in the app's JVM and dials the app's destination with the JDK's own socket, so
 * its dial failure is exactly what a direct connect would have thrown; the app gets a copy of it (same
 * type and message, the app's stack) instead of the JDK SOCKS client's {@code SocketException: SOCKS: ...}.
 */
public final class DialFailures {

    private static final WeakIdentityMap<IOException> BY_TAG = new WeakIdentityMap<>();

    private DialFailures() {
    }

    /** The proxy's dial for the connection tagged {@code tag} failed with {@code failure}. */
    public static void record(CallerTag tag, IOException failure) {
        BY_TAG.put(tag, failure);
    }

    /** The failure recorded for {@code tag}, removed; null if none. */
    public static IOException take(CallerTag tag) {
        return BY_TAG.remove(tag);
    }

    /**
     * A new exception of {@code failure}'s JDK type with its message and {@code stack}, or null when its type
     * is not one the JDK's connect throws (a proxy route's own exception: the app keeps the SOCKS client's).
     */
    public static IOException copy(IOException failure, StackTraceElement[] stack) {
        String message = failure.getMessage();
        IOException copy = switch (failure.getClass().getName()) {
            case "java.net.ConnectException" -> new ConnectException(message);
            case "java.net.NoRouteToHostException" -> new NoRouteToHostException(message);
            case "java.net.SocketTimeoutException" -> new SocketTimeoutException(message);
            case "java.net.UnknownHostException" -> new UnknownHostException(message);
            case "java.net.PortUnreachableException" -> new PortUnreachableException(message);
            case "java.net.BindException" -> new BindException(message);
            case "java.net.SocketException" -> new SocketException(message);
            default -> null;
        };
        if (copy != null) {
            copy.setStackTrace(stack);
        }
        return copy;
    }
}
