package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.junit.AllowOutbound;
import dev.socksbridge.junit.Fault;
import dev.socksbridge.junit.FaultInjection;
import dev.socksbridge.junit.FaultInjection.InjectedFault;
import dev.socksbridge.junit.Socksbridge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Test classes with {@link Fault} and {@link FaultInjection} that {@link FaultsExtensionIT} (and, under the
 * agent, {@link AgentModeMain}) run through the JUnit engine. Their "app" is a client with a read timeout,
 * as real code has: the samples assert what that timeout handling does when a dependency is slow or gone.
 */
final class FaultSamples {

    private FaultSamples() {
    }

    /** The app: one request/response to the echo server with a read timeout; the answer or the exception. */
    static String ask(int readTimeoutMillis) throws IOException {
        InetSocketAddress target = Samples.echo.address();
        try (Socket socket = new Socket()) {
            socket.connect(target, Clients.TIMEOUT_MILLIS);
            socket.setSoTimeout(readTimeoutMillis);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost:*")
    @Fault("127.0.0.1->latency latency=1000 direction=down")
    static class DeclaredSample {
        @Test
        void aSlowDependencyTripsTheAppsTimeoutButAPatientCallSucceeds() throws IOException {
            assertThrows(SocketTimeoutException.class, () -> ask(200));
            assertEquals("ping", ask(Clients.TIMEOUT_MILLIS));
        }

        @Test
        @Fault("127.0.0.1->refuse")
        void aMethodFaultAddsToTheClasss() {
            // Under the agent a direct refusal's ConnectException (a SocketException), with the extension's own
            // proxy the JDK SOCKS client's "SOCKS: Connection refused".
            SocketException refused = assertThrows(SocketException.class, () -> ask(Clients.TIMEOUT_MILLIS));
            assertTrue(refused.getMessage().endsWith("Connection refused"), refused.toString());
        }

        @Test
        @Fault("127.0.0.1->lag")
        void aMalformedFaultFailsTheTest() {
        }
    }

    @Socksbridge(includeLoopback = true)
    @AllowOutbound("localhost:*")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ProgrammaticSample {
        @Test
        @Order(1)
        void anOutageInTheMiddleOfAFlowAndItsEnd(FaultInjection faults) throws IOException {
            assertEquals("ping", ask(Clients.TIMEOUT_MILLIS));
            InjectedFault outage = faults.add("127.0.0.1->timeout timeout=0");
            assertThrows(SocketTimeoutException.class, () -> ask(300));
            outage.remove();
            assertEquals("ping", ask(Clients.TIMEOUT_MILLIS));
            faults.add("127.0.0.1->reset_peer direction=up"); // left in force: the extension removes it
            SocketException reset = assertThrows(SocketException.class, () -> ask(Clients.TIMEOUT_MILLIS));
            assertEquals("Connection reset", reset.getMessage());
        }

        @Test
        @Order(2)
        void theFaultsOfTheTestBeforeAreGone() throws IOException {
            assertEquals("ping", ask(2_000));
        }
    }
}
