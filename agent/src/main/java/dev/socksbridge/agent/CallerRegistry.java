package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.bootstrap.ConnectObserver;
import dev.socksbridge.agent.report.ConnectionRecord;
import dev.socksbridge.agent.report.Reporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the advice reports: app sockets about to speak SOCKS to the in-process proxy are registered by
 * their local port (the proxy sees it as the client port and takes the tag back), and connections that
 * bypassed the proxy are reported directly.
 */
final class CallerRegistry implements ConnectObserver {

    private final Map<Integer, CallerTag> byClientPort = new ConcurrentHashMap<>();
    private volatile int proxyPort = -1;
    private volatile InetAddress proxyAddress;
    private final Reporter reporter;
    private final AccessRules rules;

    CallerRegistry(Reporter reporter, AccessRules rules) {
        this.reporter = reporter;
        this.rules = rules;
    }

    /** Set once the proxy is listening. */
    void proxyAddress(InetSocketAddress address) {
        this.proxyAddress = address.getAddress();
        this.proxyPort = address.getPort();
    }

    @Override
    public boolean isProxy(InetSocketAddress address) {
        return address.getPort() == proxyPort && !address.isUnresolved() && address.getAddress().isLoopbackAddress();
    }

    @Override
    public void viaProxy(int localPort, CallerTag tag) {
        byClientPort.put(localPort, tag);
    }

    @Override
    public void finished(int localPort) {
        byClientPort.remove(localPort);
    }

    /**
     * The tag of the app socket that is this proxy client, removed so each is used once; null if none.
     * An app socket connecting to the proxy's address has that same address as its local address, so a
     * client from another loopback address (127.0.0.2...) with a registered port number is not ours.
     */
    CallerTag take(InetSocketAddress client) {
        if (!client.getAddress().equals(proxyAddress)) {
            return null;
        }
        return byClientPort.remove(client.getPort());
    }

    @Override
    public void direct(CallerTag tag, InetSocketAddress endpoint, Throwable failure, long endNanos) {
        // A direct connection cannot be refused here; the rules still say what enforce mode would do.
        String verdict = rules.permits(List.of(tag.host()), tag.port())
                ? ConnectionRecord.ALLOWED : ConnectionRecord.WOULD_DENY;
        reporter.direct(tag, endpoint, failure, endNanos, verdict);
    }
}
