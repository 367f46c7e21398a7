package dev.socksbridge.agent.it;

import static dev.socksbridge.agent.it.ProbeSupport.assertCaller;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use the agent's loopback proxy: by default only sockets of its own JVM. */
class SecurityIT {

    @TempDir
    Path dir;

    @Test
    void clientsFromOutsideTheJvmAreRefusedByDefault() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             ChildJvm app = startWaiting("events=" + events, echo)) {
            try (RawSocks5 outsider = new RawSocks5(proxyPort(app))) {
                assertEquals(0, outsider.greet(0));
                assertEquals(2, outsider.connect(echo.getLocalPort()), "REP 0x02: not allowed by ruleset");
            }
            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            Map<String, Object> refused = Events.only(Events.read(events), e -> "proxy".equals(e.get("route")),
                    "for the outsider");
            assertEquals("denied", refused.get("outcome"));
            assertNull(refused.get("caller_class"));
        }
    }

    @Test
    void acceptExternalWithCredentialsAdmitsTheRightPasswordAndStillTheJvmsOwnSockets() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             ChildJvm app = startWaiting("accept-external=true,user=alice,password=pa55,include-loopback=true,events="
                     + events, echo)) {
            int proxyPort = proxyPort(app);
            try (RawSocks5 wrong = new RawSocks5(proxyPort)) {
                assertEquals(2, wrong.greet(2));
                assertNotEquals(0, wrong.login("alice", "guess"));
            }
            try (RawSocks5 right = new RawSocks5(proxyPort)) {
                assertEquals(2, right.greet(2));
                assertEquals(0, right.login("alice", "pa55"));
                assertEquals(0, right.connect(echo.getLocalPort()));
                assertEquals(300, right.echo(300));
            }
            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            List<Map<String, Object>> all = Events.read(events);
            Map<String, Object> own = Events.only(all, e -> e.get("caller_class") != null, "for the app's socket");
            assertEquals("proxy", own.get("route"));
            assertEquals(1000L, own.get("bytes_down"));
            assertCaller(own, "plainSocket", app, "socket");
            Map<String, Object> external = Events.only(all, e -> Long.valueOf(300).equals(e.get("bytes_down")),
                    "for the authenticated outsider");
            assertEquals("ok", external.get("outcome"));
        }
    }

    @Test
    void datagramsTheProxyRelaysForAnOutsiderAreNotReportedAsTheAppsOwn() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             DatagramSocket udpEcho = Fixtures.udpEchoServer();
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             ChildJvm app = startWaiting("accept-external=true,include-loopback=true,events=" + events, echo)) {
            udp.setSoTimeout(30_000);
            try (RawSocks5 outsider = new RawSocks5(proxyPort(app))) {
                assertEquals(0, outsider.greet(0));
                InetSocketAddress relay = outsider.udpAssociate();
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                assertArrayEquals(ping, RawSocks5.relayDatagram(udp, relay, udpEcho.getLocalPort(), ping));
            }
            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            List<Map<String, Object>> all = Events.read(events);
            Map<String, Object> association = Events.only(all, e -> "udp-associate".equals(e.get("command")),
                    "for the outsider's association");
            assertEquals("proxy", association.get("route"), association.toString());
            assertTrue(all.stream().noneMatch(e -> "udp".equals(e.get("protocol"))),
                    "the proxy's own sends on the outsider's behalf are not the app's datagrams: " + all);
        }
    }

    @Test
    void datagramsOfAnAuthenticatedOutsidersAssociationAreRelayed() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (ServerSocket echo = Fixtures.echoServer();
             DatagramSocket udpEcho = Fixtures.udpEchoServer();
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             ChildJvm app = startWaiting("accept-external=true,user=alice,password=pa55,include-loopback=true,events="
                     + events, echo)) {
            udp.setSoTimeout(30_000);
            try (RawSocks5 outsider = new RawSocks5(proxyPort(app))) {
                assertEquals(2, outsider.greet(2));
                assertEquals(0, outsider.login("alice", "pa55"));
                InetSocketAddress relay = outsider.udpAssociate();
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                // the policy asks per datagram, on the relay's thread: "authenticated" must reach it there too
                assertArrayEquals(ping, RawSocks5.relayDatagram(udp, relay, udpEcho.getLocalPort(), ping));
            }
            app.send("go");
            assertEquals(0, app.awaitExit(ProbeSupport.RUN_LIMIT), app.output());
            Map<String, Object> association = Events.only(Events.read(events),
                    e -> "udp-associate".equals(e.get("command")), "for the outsider's association");
            assertEquals("ok", association.get("outcome"), association.toString());
        }
    }

    private static ChildJvm startWaiting(String agentOptions, ServerSocket echo) throws Exception {
        ChildJvm app = ChildJvm.start(Fixtures.probe(Fixtures.currentJava(), agentOptions, List.of(), List.of(),
                "--wait", "socket:" + echo.getLocalPort()));
        app.awaitStdout(l -> l.startsWith("READY"), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("probe not ready\n" + app.output()));
        return app;
    }

    private static int proxyPort(ChildJvm app) {
        String ready = app.stdoutLines().stream().filter(l -> l.startsWith("READY")).findFirst().orElseThrow();
        return Integer.parseInt(ready.substring(ready.indexOf("socksProxyPort=") + "socksProxyPort=".length()));
    }
}
