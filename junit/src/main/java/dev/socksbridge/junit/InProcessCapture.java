package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Socks5Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Without the agent: an in-process SOCKS5 server for this JVM, a {@link RoutingProxySelector} in front
 * of the previous one, and {@code socksProxyHost}/{@code socksProxyPort} for libraries that read them
 * directly. {@link #close()} puts back the selector and properties exactly as they were.
 */
final class InProcessCapture implements Capture.Source {

    private static final String[] PROPERTIES = {"socksProxyHost", "socksProxyPort"};
    /** Stands for "no selector call matched this session" (e.g. a client that named this proxy itself). */
    private static final PendingCalls.PendingCall NO_CALL =
            new PendingCalls.PendingCall("", -1, CallSite.UNKNOWN, null, 0);

    private final ConnectionRecorder recorder;
    private final PendingCalls pendingCalls = new PendingCalls();
    private final Map<Long, PendingCalls.PendingCall> callers = new ConcurrentHashMap<>();
    private final Map<String, String> savedProperties = new ConcurrentHashMap<>();
    private final Socks5Server server;
    private final RoutingProxySelector selector;

    InProcessCapture(ConnectionRecorder recorder, BooleanSupplier includeLoopback) throws IOException {
        this.recorder = recorder;
        this.server = Socks5Server.builder().port(0).listener(new Listener()).build().start();
        InetSocketAddress address = server.address();
        this.selector = new RoutingProxySelector(ProxySelector.getDefault(), address, includeLoopback, pendingCalls);
        for (String name : PROPERTIES) {
            String value = System.getProperty(name);
            if (value != null) {
                savedProperties.put(name, value);
            }
        }
        ProxySelector.setDefault(selector);
        System.setProperty("socksProxyHost", address.getAddress().getHostAddress());
        System.setProperty("socksProxyPort", Integer.toString(address.getPort()));
    }

    @Override
    public String describe() {
        return "in-process SOCKS5 server on " + server.address();
    }

    @Override
    public Object addFault(String spec) {
        return server.faults().add(spec);
    }

    @Override
    public void removeFault(Object token) {
        server.faults().remove((dev.socksbridge.proxy.fault.Fault) token);
    }

    @Override
    public void close() {
        // Put the JVM's settings back first, so nothing new is routed to a server that is going away.
        if (ProxySelector.getDefault() == selector) {
            ProxySelector.setDefault(selector.previous());
        }
        for (String name : PROPERTIES) {
            String saved = savedProperties.get(name);
            if (saved == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, saved);
            }
        }
        server.close();
    }

    /** Turns the server's session events into recorded connections, joined to the caller the selector saw. */
    private final class Listener implements ConnectionListener {

        @Override
        public void onOpen(ConnectionEvent event) {
            opened(event);
        }

        @Override
        public void onClose(ConnectionEvent event) {
            if (event.destination() == null) {
                return; // failed before the client named a destination: nothing a test asked for
            }
            if (!callers.containsKey(event.id())) {
                opened(event); // some failures are reported only once, at close
            }
            PendingCalls.PendingCall call = callers.remove(event.id());
            recorder.closed(event.id(), toConnection(event, call), call == null ? null : call.thread());
        }

        private void opened(ConnectionEvent event) {
            if (event.destination() == null || callers.containsKey(event.id())) {
                return;
            }
            PendingCalls.PendingCall call = pendingCalls.claim(event.destination());
            callers.put(event.id(), call == null ? NO_CALL : call);
            recorder.opened(event.id(), toConnection(event, call), call == null ? null : call.thread());
        }
    }

    static RecordedConnection toConnection(ConnectionEvent event, PendingCalls.PendingCall call) {
        Destination requested = event.destination();
        boolean joined = call != null && call != NO_CALL;
        Destination named = joined ? new Destination(call.host(), requested.port()) : requested;
        Thread thread = joined ? call.thread() : null;
        return new RecordedConnection(event.id(), "proxy", named, requested, event.reached(), event.outcome(),
                event.replyCode(), event.bytesUp(), event.bytesDown(), event.start(), event.duration(),
                joined ? call.caller() : CallSite.UNKNOWN, thread == null ? null : thread.getName(),
                thread != null && VirtualThreads.isVirtual(thread), event.failure());
    }
}
