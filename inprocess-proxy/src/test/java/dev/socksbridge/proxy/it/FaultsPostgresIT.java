package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.Fault;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.PostgresCluster;
import dev.socksbridge.proxy.it.support.SocksSocketFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a real JDBC driver (pgjdbc) reports when its database connection is reset or stops answering: a
 * throwaway PostgreSQL cluster on loopback, the driver's sockets through the proxy, faults added to an
 * open connection and removed again.
 */
@Timeout(180)
class FaultsPostgresIT {

    private static PostgresCluster postgres;
    private final EventRecorder events = new EventRecorder();
    private Socks5Server server;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresCluster.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void startProxy() throws Exception {
        server = Socks5Server.builder().listener(events).build().start();
    }

    @AfterEach
    void stopProxy() {
        server.close();
    }

    @Test
    void resetPeerOnAnOpenConnectionIsAnIoErrorForTheDriverAndANewConnectionWorksOnceRemoved() throws Exception {
        try (Connection connection = connect("")) {
            assertEquals(1, selectOne(connection));
            Fault reset = server.faults().add("127.0.0.1:" + postgres.port() + "->reset_peer direction=up");
            SQLException failure = assertThrows(SQLException.class, () -> selectOne(connection));
            assertEquals("08006", failure.getSQLState(), causes(failure)); // connection failure
            assertTrue(causes(failure).contains("java.net.SocketException: Connection reset"), causes(failure));
            assertTrue(connection.isClosed(), "the driver gave the connection up");
            server.faults().remove(reset);
        }
        assertEquals(List.of("reset_peer"), events.nextClose().faults());
        try (Connection again = connect("")) {
            assertEquals(1, selectOne(again));
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringTripsTheDriversSocketTimeout() throws Exception {
        try (Connection connection = connect("&socketTimeout=1")) {
            assertEquals(1, selectOne(connection));
            Fault hang = server.faults().add("127.0.0.1:" + postgres.port() + "->timeout timeout=0 direction=down");
            SQLException failure = assertThrows(SQLException.class, () -> selectOne(connection));
            assertEquals("08006", failure.getSQLState(), causes(failure));
            assertTrue(causes(failure).contains("java.net.SocketTimeoutException: Read timed out"), causes(failure));
            server.faults().remove(hang);
        }
        assertEquals(List.of("timeout"), events.nextClose().faults());
        try (Connection again = connect("&socketTimeout=1")) {
            assertEquals(1, selectOne(again));
        }
    }

    @Test
    void aTimeoutThatClosesTheConnectionIsAnEndOfStreamForTheDriver() throws Exception {
        try (Connection connection = connect("")) {
            assertEquals(1, selectOne(connection));
            server.faults().add("127.0.0.1:" + postgres.port() + "->timeout timeout=300");
            SQLException failure = assertThrows(SQLException.class, () -> selectOne(connection));
            assertEquals("08006", failure.getSQLState(), causes(failure));
            assertTrue(causes(failure).contains("java.io.EOFException"), causes(failure));
        }
        assertEquals(List.of("timeout"), events.nextClose().faults());
    }

    private Connection connect(String extra) throws SQLException {
        return DriverManager.getConnection(postgres.url("&socketFactory=" + SocksSocketFactory.class.getName()
                + "&socketFactoryArg=127.0.0.1:" + server.address().getPort() + "&connectTimeout=30" + extra));
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Every exception in the cause chain, {@code type: message}, one per line. */
    private static String causes(Throwable failure) {
        List<String> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 10; t = t.getCause()) {
            chain.add(t.getClass().getName() + ": " + t.getMessage());
        }
        return String.join("\n", chain);
    }
}
