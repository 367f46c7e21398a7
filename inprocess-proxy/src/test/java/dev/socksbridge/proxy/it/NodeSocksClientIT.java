package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.NodeSocks;
import dev.socksbridge.proxy.it.support.UdpEcho;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BIND (SOCKS5 and SOCKS4) and UDP ASSOCIATE driven by the npm {@code socks} client library. */
@Timeout(180)
class NodeSocksClientIT {

    private final EventRecorder events = new EventRecorder();

    @Test
    void bindOverSocks5AndSocks4WithAPeerConnecting() throws Exception {
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            NodeSocks.Output out = NodeSocks.run(server.address().getPort(), 0, "bind5", "bind4");
            for (String bind : List.of("bind5", "bind4")) {
                assertEquals("127.0.0.1", out.get(bind + ".listeningHost"), out.json());
                assertEquals(out.getInt(bind + ".peerLocalPort"), out.getInt(bind + ".announcedPeerPort"),
                        "the second reply names the peer: " + out.json());
                assertEquals("from the client", out.get(bind + ".peerGot"));
                assertEquals("from the peer", out.get(bind + ".clientGot"));
            }
            List<ConnectionEvent> closed = List.of(events.nextClose(), events.nextClose());
            List<Protocol> protocols = new ArrayList<>();
            for (ConnectionEvent event : closed) {
                assertEquals(Command.BIND, event.command());
                assertEquals(Outcome.OK, event.outcome(), event::toString);
                protocols.add(event.protocol());
            }
            assertTrue(protocols.containsAll(List.of(Protocol.SOCKS5, Protocol.SOCKS4)), protocols::toString);
        }
    }

    @Test
    void udpRoundTripsWithIpv4AndDomainHeaders() throws Exception {
        try (UdpEcho echo = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            NodeSocks.Output out = NodeSocks.run(server.address().getPort(), echo.port(), "udp");
            assertEquals("127.0.0.1", out.get("udp.relayHost"));
            assertEquals("udp with an ipv4 header", out.get("udp.ipv4Data"));
            assertEquals("127.0.0.1:" + echo.port(), out.get("udp.ipv4From"), "replies carry the target's address");
            assertEquals("udp with a domain header", out.get("udp.domainData"));
            assertEquals("127.0.0.1:" + echo.port(), out.get("udp.domainFrom"));
            assertTrue(echo.received().containsAll(List.of("udp with an ipv4 header", "udp with a domain header")),
                    echo.received()::toString);

            ConnectionEvent closed = events.nextClose();
            assertEquals(Command.UDP_ASSOCIATE, closed.command());
            assertEquals(Outcome.OK, closed.outcome());
            assertTrue(closed.datagramsUp() >= 2 && closed.datagramsDown() >= 2, closed::toString);
            assertEquals(0, closed.datagramsDropped(), closed::toString);
        }
    }
}
