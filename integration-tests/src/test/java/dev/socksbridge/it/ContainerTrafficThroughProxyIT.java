package dev.socksbridge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.route.RouteTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * A test suite's traffic to a container, routed through the in-process SOCKS5 server: the container's
 * mapped port is on the host's loopback, which the JDK would bypass a proxy for; here the test names the
 * proxy explicitly, as the agent does for loopback with {@code include-loopback=true}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerTrafficThroughProxyIT {
    private static final int ECHO_PORT = 7000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Container
    private static final GenericContainer<?> ECHO = new GenericContainer<>(TestImages.jdk())
            .withCopyFileToContainer(MountableFile.forClasspathResource("dev/socksbridge/it/EchoService.class"),
                    "/app/dev/socksbridge/it/EchoService.class")
            .withCommand("java", "-cp", "/app", EchoService.class.getName(), String.valueOf(ECHO_PORT))
            .withExposedPorts(ECHO_PORT)
            .waitingFor(Wait.forLogMessage(".*" + EchoService.READY + ".*\\n", 1).withStartupTimeout(Duration.ofMinutes(2)));

    private final RecordingListener events = new RecordingListener();
    private Socks5Server proxy;

    @BeforeEach
    void startProxy() throws IOException {
        proxy = Socks5Server.builder().listener(events).build().start();
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void connectionToTheMappedPortIsRelayedAndRecorded() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(ECHO.getHost(), ECHO.getMappedPort(ECHO_PORT));
        byte[] payload = "hello container, through socksbridge\n".repeat(40).getBytes(StandardCharsets.US_ASCII);

        byte[] echoed = echoThroughProxy(mapped, payload);

        assertArrayEquals(payload, echoed, "the container's echo, relayed by the proxy");
        ConnectionEvent event = events.nextClosed(TIMEOUT);
        assertEquals(Command.CONNECT, event.command(), event::toString);
        assertEquals(mapped.getPort(), event.destination().port(), event::toString);
        assertNotNull(event.reached(), event::toString);
        assertTrue(event.reached().getAddress().isLoopbackAddress(), event::toString);
        assertEquals(mapped.getPort(), event.reached().getPort(), event::toString);
        assertEquals(Outcome.OK, event.outcome(), event::toString);
        assertEquals(payload.length, event.bytesUp(), event::toString);
        assertEquals(payload.length, event.bytesDown(), event::toString);
        assertEquals(0, events.pending(), "one connection, one session");
    }

    @Test
    void plainSocketToTheMappedPortIsRoutedByAnIncludeLoopbackSelector() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(ECHO.getHost(), ECHO.getMappedPort(ECHO_PORT));
        byte[] payload = "no explicit proxy: the JVM's ProxySelector routes it\n".getBytes(StandardCharsets.US_ASCII);
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new IncludeLoopbackSelector(proxy.address()));
        byte[] echoed;
        try (Socket socket = new Socket()) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.connect(mapped, (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            echoed = socket.getInputStream().readAllBytes();
        } finally {
            ProxySelector.setDefault(previous);
        }

        assertArrayEquals(payload, echoed);
        ConnectionEvent event = events.nextClosed(TIMEOUT);
        assertEquals(mapped.getPort(), event.destination().port(), event::toString);
        assertEquals(Outcome.OK, event.outcome(), event::toString);
        assertEquals(payload.length, event.bytesUp(), event::toString);
        assertEquals(payload.length, event.bytesDown(), event::toString);
    }

    @Test
    void aRouteSendsANameTheAppUsesToTheContainerAsAStandIn() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(ECHO.getHost(), ECHO.getMappedPort(ECHO_PORT));
        String standIn = "127.0.0.1:" + mapped.getPort();
        byte[] payload = "to the payments API, answered by a container\n".getBytes(StandardCharsets.US_ASCII);
        try (Socks5Server routed = Socks5Server.builder().listener(events)
                .router(RouteTable.parse("route", List.of("api.payments.invalid:443 -> " + standIn))).build().start();
             Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, routed.address()))) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            // unresolved: the name travels to the proxy, which never looks it up for a stand-in
            socket.connect(InetSocketAddress.createUnresolved("api.payments.invalid", 443), (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            assertArrayEquals(payload, socket.getInputStream().readAllBytes());
        }
        ConnectionEvent event = events.nextClosed(TIMEOUT);
        assertEquals("api.payments.invalid", event.destination().host(), event::toString);
        assertEquals(443, event.destination().port(), event::toString);
        assertEquals(standIn, event.via(), event::toString);
        assertEquals(mapped.getPort(), event.reached().getPort(), event::toString);
        assertEquals(Outcome.OK, event.outcome(), event::toString);
    }

    /** Connects through the proxy the way the JDK's own SOCKS client does, sends, half-closes, reads all. */
    private byte[] echoThroughProxy(InetSocketAddress target, byte[] payload) throws IOException {
        try (Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, proxy.address()))) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.connect(target, (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            return socket.getInputStream().readAllBytes();
        }
    }
}
