package dev.socksbridge.junit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.junit.AllowOutbound;
import dev.socksbridge.junit.RecordedConnection;
import dev.socksbridge.junit.RecordedConnections;
import dev.socksbridge.junit.Route;
import dev.socksbridge.junit.Socksbridge;
import dev.socksbridge.junit.TestRoutes;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Test classes for {@link RouteExtensionIT} to run through the engine; not run on their own. */
final class RouteSamples {

    static final String PAYMENTS = "api.payments.invalid";
    static final String LEDGER = "ledger.invalid";

    private RouteSamples() {
    }

    /** The code under test names a host that resolves nowhere; the route sends it to a local stand-in. */
    static String callPayments(String host) {
        return Clients.echo(InetSocketAddress.createUnresolved(host, 443), "pay");
    }

    @Socksbridge
    @AllowOutbound("*.invalid:443")
    @Route(PAYMENTS + ":443 -> 127.0.0.1:${standInPort}")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StandInSample {
        /** Known only at run time; read after {@code @BeforeEach}. */
        private int standInPort;

        @BeforeEach
        void startStandIn() {
            standInPort = Samples.echo.port();
        }

        @Test
        @Order(1)
        void declarativeRouteReachesTheStandIn(RecordedConnections connections) throws Exception {
            assertEquals("pay", callPayments(PAYMENTS));
            RecordedConnection c = connections.awaitClosed(java.time.Duration.ofSeconds(30)).get(0);
            assertEquals(PAYMENTS + ":443", c.destination().toString());
            assertEquals(standInPort, c.reached().getPort());
        }

        @Test
        @Order(2)
        void programmaticRouteForThisTestOnly() {
            TestRoutes.add(LEDGER + ":443 -> 127.0.0.1:" + standInPort);
            assertEquals("pay", callPayments(LEDGER));
        }

        @Test
        @Order(3)
        void theProgrammaticRouteEndedWithItsTest() {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> callPayments(LEDGER));
            // The proxy could not resolve it: under the agent the direct connect's UnknownHostException, with the
            // extension's own proxy the JDK SOCKS client's "SOCKS: Host unreachable".
            assertTrue(e.getCause() instanceof java.net.UnknownHostException
                    || e.getCause().getMessage().contains("SOCKS"), e.toString());
        }
    }

    @Socksbridge
    @AllowOutbound("*")
    static class BadPlaceholderSample {
        @Test
        @Route(PAYMENTS + ":443 -> 127.0.0.1:${noSuchPort}")
        void failsNamingThePlaceholder() {
            callPayments(PAYMENTS);
        }
    }

    @Socksbridge
    @AllowOutbound("*")
    static class BlockSample {
        @Test
        @Route("*.invalid -> block")
        void blockedEvenWithoutAPolicy() {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> callPayments(PAYMENTS));
            assertTrue(e.getCause().getMessage().contains("not allowed by ruleset"), e.toString());
        }
    }
}
