package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFormatTest {

    private static final InetSocketAddress CLIENT = address("127.0.0.1", 50123);

    @ParameterizedTest
    @CsvSource({
        "0, 0B", "512, 512B", "1023, 1023B", "1024, 1.0KiB", "4198, 4.1KiB", "1048575, 1.0MiB",
        "3145728, 3.0MiB", "1610612736, 1.5GiB", "2199023255552, 2.0TiB"})
    void bytesAreHumanSized(long count, String text) {
        assertEquals(text, EventFormat.bytes(count));
    }

    @Test
    void closedOkSessionIsOneLine() {
        ConnectionEvent event = session(12, Protocol.SOCKS5, Command.CONNECT)
                .destination(new Destination("api.example.com", 443)).reached(address("93.184.216.34", 443))
                .outcome(Outcome.OK).replyCode(0).bytesUp(512L).bytesDown(4198L).connectTime(Duration.ofMillis(3))
                .duration(Duration.ofMillis(38)).build();
        assertEquals("conn#12 CONNECT api.example.com:443 -> 93.184.216.34:443 ok up=512B down=4.1KiB 38ms"
                + " client=127.0.0.1:50123 protocol=socks5", EventFormat.line(event));
    }

    @Test
    void failedSessionShowsReplyCodeAndReason() {
        ConnectionEvent event = session(13, Protocol.SOCKS5, Command.CONNECT)
                .destination(new Destination("::1", 1)).outcome(Outcome.REFUSED).replyCode(0x05)
                .duration(Duration.ofMillis(12_345)).failure("ConnectException: Connection \"refused\"").build();
        assertEquals("conn#13 CONNECT [::1]:1 refused rep=0x05 up=0B down=0B 12.3s client=127.0.0.1:50123"
                + " protocol=socks5 reason=\"ConnectException: Connection 'refused'\"", EventFormat.line(event));
    }

    @Test
    void sessionThatNeverSentARequestShowsDashes() {
        ConnectionEvent event = session(14, Protocol.SOCKS5, null).client(address("::1", 40000))
                .outcome(Outcome.PROTOCOL_ERROR).duration(Duration.ofMillis(1))
                .failure("version: 0x47 (expected: 0x05)").build();
        assertEquals("conn#14 - - protocol-error up=0B down=0B 1ms client=[::1]:40000 protocol=socks5"
                + " reason=\"version: 0x47 (expected: 0x05)\"", EventFormat.line(event));
    }

    @Test
    void openEventHasNoDuration() {
        ConnectionEvent event = session(15, Protocol.SOCKS5, Command.CONNECT)
                .destination(new Destination("localhost", 80)).build();
        assertEquals("conn#15 CONNECT localhost:80 open up=0B down=0B client=127.0.0.1:50123 protocol=socks5",
                EventFormat.line(event));
    }

    @Test
    void httpConnectFailureShowsTheStatusAndTheUser() {
        ConnectionEvent event = session(16, Protocol.HTTP_CONNECT, Command.CONNECT)
                .destination(new Destination("blocked.example", 443)).outcome(Outcome.DENIED).replyCode(403)
                .duration(Duration.ofMillis(2)).failure("denied by policy").user("alice").build();
        assertEquals("conn#16 CONNECT blocked.example:443 denied status=403 up=0B down=0B 2ms client=127.0.0.1:50123"
                + " protocol=http-connect user=\"alice\" reason=\"denied by policy\"", EventFormat.line(event));
    }

    @Test
    void udpAssociationShowsDatagramCountsAndSocks4RejectionItsCode() {
        ConnectionEvent udp = session(17, Protocol.SOCKS5, Command.UDP_ASSOCIATE)
                .destination(new Destination("0.0.0.0", 0)).outcome(Outcome.OK).replyCode(0).bytesUp(20L)
                .bytesDown(30L).duration(Duration.ofMillis(40)).datagrams(2, 3, 1).build();
        assertEquals("conn#17 UDP-ASSOCIATE 0.0.0.0:0 ok up=20B down=30B 40ms client=127.0.0.1:50123 protocol=socks5"
                + " datagrams-up=2 datagrams-down=3 dropped=1", EventFormat.line(udp));
        ConnectionEvent socks4 = session(18, Protocol.SOCKS4A, Command.CONNECT)
                .destination(new Destination("example.com", 80)).outcome(Outcome.REFUSED).replyCode(0x5B)
                .duration(Duration.ofMillis(1)).failure("ConnectException: refused").user("bob\"\n").build();
        assertEquals("conn#18 CONNECT example.com:80 refused rep=0x5b up=0B down=0B 1ms client=127.0.0.1:50123"
                + " protocol=socks4a user=\"bob??\" reason=\"ConnectException: refused\"", EventFormat.line(socks4));
    }

    /** A session's event as the server builds it: from {@link #CLIENT}, open until told otherwise. */
    private static ConnectionEvent.Builder session(long id, Protocol protocol, Command command) {
        return ConnectionEvent.builder().id(id).start(Instant.EPOCH).protocol(protocol).command(command)
                .client(CLIENT);
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
