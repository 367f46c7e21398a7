package dev.socksbridge.junit;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.capture.CallerFinder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Joins what the proxy selector saw on the connecting thread (caller, thread, the host as the
 * code named it) to the proxy session the JDK opens right after: oldest first per destination. The JDK
 * gives the proxy no other key (without the agent there is no hook at the client socket), so two
 * threads connecting to the same destination at the same instant may get each other's caller.
 */
final class PendingCalls {

    /** What the proxy selector saw for one connection attempt. */
    record PendingCall(String host, int port, CallSite caller, Thread thread, long createdNanos) {
    }

    private static final int MAX_PENDING = 4096;
    /**
     * A call is followed by its session within milliseconds (a loopback connect and a SOCKS greeting); one
     * never followed (a client that asked but then reused a pooled connection, or failed first) expires,
     * so that it cannot lend its caller to a later connection to the same destination.
     */
    private static final long EXPIRY_NANOS = 10_000_000_000L;

    /** The caller is the first frame outside the JDK, JUnit and socksbridge. */
    static final CallerFinder CALLERS = new CallerFinder(List.of("org.junit.", "org.opentest4j."));

    private final Deque<PendingCall> pending = new ArrayDeque<>();

    /** Remembers a connection to {@code host:port} the current thread is about to make, and who asked. */
    void add(String host, int port) {
        add(new PendingCall(host, port, CALLERS.find().map(CallSite::of).orElse(CallSite.UNKNOWN),
                Thread.currentThread(), System.nanoTime()));
    }

    synchronized void add(PendingCall call) {
        expire(call.createdNanos());
        if (pending.size() >= MAX_PENDING) {
            pending.removeFirst();
        }
        pending.addLast(call);
    }

    /**
     * The oldest pending call for {@code requested} (as it reached the proxy): same host name and port,
     * else — when the JDK resolved the name before connecting — a call whose name resolves to that address.
     */
    PendingCall claim(Destination requested) {
        PendingCall exact = claimMatching(requested, false);
        return exact != null ? exact : claimMatching(requested, true);
    }

    private synchronized PendingCall claimMatching(Destination requested, boolean byResolution) {
        expire(System.nanoTime());
        InetAddress address = byResolution ? IpLiterals.parse(requested.host()) : null;
        if (byResolution && address == null) {
            return null;
        }
        for (Iterator<PendingCall> it = pending.iterator(); it.hasNext(); ) {
            PendingCall call = it.next();
            if (call.port() != requested.port()) {
                continue;
            }
            boolean match = byResolution
                    ? resolvesTo(call.host(), address)
                    : call.host().equalsIgnoreCase(requested.host());
            if (match) {
                it.remove();
                return call;
            }
        }
        return null;
    }

    /** The JDK just resolved this name for the connection, so its address cache answers without DNS. */
    private static boolean resolvesTo(String host, InetAddress address) {
        if (IpLiterals.isLiteral(host)) {
            return address.equals(IpLiterals.parse(host));
        }
        try {
            for (InetAddress candidate : InetAddress.getAllByName(host)) {
                if (candidate.equals(address)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }

    private void expire(long now) {
        while (!pending.isEmpty() && now - pending.peekFirst().createdNanos() > EXPIRY_NANOS) {
            pending.removeFirst();
        }
    }

    synchronized int size() {
        return pending.size();
    }
}
