package dev.socksbridge.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What the advice on name lookups ({@code InetAddress.getByName/getAllByName}) and on datagram sends
 * ({@code sun.nio.ch.DatagramChannelImpl}, which also carries {@code DatagramSocket} since JDK 15) calls.
 * Only records: nothing here changes what the app's call does.
 */
public final class TrafficHooks {

    /** > 0 while this thread is inside a hooked lookup: only the outermost one (the app's call) counts. */
    private static final ThreadLocal<int[]> LOOKUP_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private TrafficHooks() {
    }

    private record Lookup(CallerTag tag) {
    }

    /** Advice: entry of a lookup. Returns the pending lookup, or null when it is not recorded. */
    public static Object lookupEnter(String host) {
        if (Hooks.observer() == null || Hooks.isBypassed()) {
            return null;
        }
        int[] depth = LOOKUP_DEPTH.get();
        if (depth[0]++ > 0 || host == null || host.isEmpty() || isLiteral(host)) {
            return Boolean.FALSE; // nested or no resolution at all: only the depth is undone at exit
        }
        Hooks.beginBypass();
        try {
            return new Lookup(Hooks.tag(host, -1));
        } finally {
            Hooks.endBypass();
        }
    }

    /** Advice: exit of a lookup; {@code result} is an InetAddress or an InetAddress[]. */
    public static void lookupExit(Object pending, Object result, Throwable thrown) {
        if (pending == null) {
            return;
        }
        LOOKUP_DEPTH.get()[0]--;
        ConnectObserver observer = Hooks.observer();
        if (!(pending instanceof Lookup lookup) || observer == null) {
            return;
        }
        long end = System.nanoTime();
        InetAddress[] addresses = result instanceof InetAddress[] all ? all
                : result instanceof InetAddress one ? new InetAddress[] {one} : null;
        Hooks.beginBypass();
        try {
            observer.lookedUp(lookup.tag(), addresses, thrown, end);
        } finally {
            Hooks.endBypass();
        }
    }

    /**
     * Advice: a datagram channel sent {@code bytes} to {@code target} (or connected to it: datagrams 0). A
     * non-blocking send that sent nothing (0) is not a datagram.
     */
    public static void datagram(Object target, long bytes, int datagrams) {
        ConnectObserver observer = Hooks.observer();
        if (observer == null || Hooks.isBypassed() || !(target instanceof InetSocketAddress address)
                || (datagrams > 0 && bytes <= 0)) {
            return;
        }
        Hooks.beginBypass();
        try {
            observer.datagram(Hooks.tag(address), address, Math.max(0, bytes), datagrams);
        } finally {
            Hooks.endBypass();
        }
    }

    /** IPv4 dotted or IPv6 literals resolve without any lookup. */
    private static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0 || host.charAt(0) == '[') {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}
