package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.ConnectionListener;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.capture.InProcessProxySelector;
import dev.socksbridge.proxy.capture.VirtualThreads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Without the agent: an in-process SOCKS5 server for this JVM, a proxy selector in front of the previous
 * one ({@link #selector}), and {@code socksProxyHost}/{@code socksProxyPort} for libraries that read them
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
    private final ProxySelector previousSelector;
    private final ProxySelector selector;

    InProcessCapture(ConnectionRecorder recorder, BooleanSupplier includeLoopback) throws IOException {
        this.recorder = recorder;
        this.server = Socks5Server.builder().port(0).listener(new Listener())
                .router(TestRoutes::route).build().start();
        InetSocketAddress address = server.address();
        this.previousSelector = ProxySelector.getDefault();
        this.selector = selector(previousSelector, address, includeLoopback, pendingCalls);
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

    /**
     * The extension's selector: {@code socket://}, {@code http://} and {@code https://} destinations go to the
     * server (http(s) from every client but the JDK's HttpClient, which drops SOCKS answers), each remembered
     * with who asked; everything else, and loopback unless included, as the previous selector says.
     */
    static ProxySelector selector(ProxySelector previous, InetSocketAddress server, BooleanSupplier includeLoopback,
                                  PendingCalls pendingCalls) {
        return InProcessProxySelector.to(server).previous(previous).includeLoopback(includeLoopback)
                .httpAskerSpeaksSocks(() -> !InProcessProxySelector.askedByJdkHttpClient())
                .listener(pendingCalls::add).build();
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
        server.faults().remove((dev.socksbridge.proxy.Fault) token);
    }

    @Override
    public void close() {
        // Put the JVM's settings back first, so nothing new is routed to a server that is going away.
        if (ProxySelector.getDefault() == selector) {
            ProxySelector.setDefault(previousSelector);
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
        if (call == null || call == NO_CALL) {
            return RecordedConnection.of(event, requested, CallSite.UNKNOWN);
        }
        Thread thread = call.thread();
        ConnectionEvent named = event.toBuilder().destination(new Destination(call.host(), requested.port()))
                .thread(thread == null ? null : thread.getName())
                .virtualThread(thread != null && VirtualThreads.isVirtual(thread)).build();
        return RecordedConnection.of(named, requested, call.caller());
    }
}
