package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Dialer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Upstream hops in order, from the client outwards: a TCP connection to the first hop (made by the
 * server's {@link Dialer}), then each hop is asked to connect to the next one and the last one to the
 * destination. Strict: a hop that fails ends the attempt, nothing is skipped or retried.
 */
final class HopChain implements RouteAction {

    private final List<Hop> hops;
    private final String via;

    HopChain(List<Hop> hops) {
        if (hops.isEmpty()) {
            throw new IllegalArgumentException("hops: [] (expected: at least one hop)");
        }
        this.hops = List.copyOf(hops);
        this.via = this.hops.stream().map(Hop::toString).collect(Collectors.joining(" "));
    }

    List<Hop> hops() {
        return hops;
    }

    @Override
    public Socket dial(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        Socket socket = connectFirst(request, connectTimeoutMillis, dialer);
        try {
            for (int i = 0; i < hops.size(); i++) {
                socket.setSoTimeout(remainingMillis(deadline, connectTimeoutMillis, i));
                Destination next = i + 1 < hops.size() ? hops.get(i + 1).address() : request.destination();
                negotiate(i, socket, next);
            }
            socket.setSoTimeout(0); // the relay sets its own idle timeout
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Socket connectFirst(ConnectionRequest request, int connectTimeoutMillis, Dialer dialer)
            throws IOException {
        Hop first = hops.get(0);
        try {
            return dialer.dial(Hops.requestTo(request, first.address()), connectTimeoutMillis);
        } catch (IOException e) {
            throw Hops.sameKind(e, name(0) + " unreachable: " + Hops.reason(e));
        }
    }

    private void negotiate(int index, Socket socket, Destination next) throws IOException {
        Hop hop = hops.get(index);
        String target = index + 1 < hops.size() ? name(index + 1) : next.toString();
        try {
            if (hop.scheme() == Hop.Scheme.SOCKS5) {
                Socks5Upstream.connect(socket, hop, next);
            } else {
                HttpUpstream.connect(socket, hop, next);
            }
        } catch (UpstreamRefusal refusal) {
            // The hop answered: it could not (or would not) reach the next hop or the destination.
            IOException failure = refusal.failure();
            throw Hops.sameKind(failure, name(index) + " could not reach " + target + ": " + Hops.reason(failure));
        } catch (IOException e) {
            throw Hops.sameKind(e, name(index) + " failed: " + Hops.reason(e));
        }
    }

    /** {@code hop 2 of 2 (http://127.0.0.1:3128)}, for messages; never a password. */
    private String name(int index) {
        return "hop " + (index + 1) + " of " + hops.size() + " (" + hops.get(index) + ")";
    }

    /** At least 1 ms once the connect timeout is used up, so a late hop times out rather than waiting forever. */
    private static int remainingMillis(long deadline, int connectTimeoutMillis, int index) throws SocketTimeoutException {
        if (connectTimeoutMillis == 0) {
            return 0;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("connect timeout (" + connectTimeoutMillis + "ms) used up before hop "
                    + (index + 1) + " answered");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    @Override
    public String via() {
        return via;
    }

    @Override
    public String toString() {
        return via;
    }
}
