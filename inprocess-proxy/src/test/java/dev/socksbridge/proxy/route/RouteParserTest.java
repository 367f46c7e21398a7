package dev.socksbridge.proxy.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Destination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteParserTest {

    @Test
    void directAndBlockAreKeywords() {
        assertSame(dev.socksbridge.proxy.RouteAction.direct(), Route.parse("*.internal->direct").action());
        assertSame(Block.INSTANCE, Route.parse("tracker.example.com -> BLOCK").action());
    }

    @Test
    void hostPortIsAStandIn() {
        Route route = Route.parse("api.payments.example:443 -> 127.0.0.1:8443");
        assertEquals("127.0.0.1:8443", route.action().via());
        assertTrue(route.pattern().matches("api.payments.example", 443));
        assertFalse(route.pattern().matches("api.payments.example", 80));
        assertEquals("[::1]:9000", Route.parse("*->[::1]:9000").action().via());
    }

    @Test
    void upstreamHopsKeepTheirCredentialsButNeverShowThePassword() {
        Route route = Route.parse("*.corp.example->socks5://alice:s3cret@127.0.0.1:1080");
        Hop hop = ((HopChain) route.action()).hops().get(0);
        assertEquals(Hop.Scheme.SOCKS5, hop.scheme());
        assertEquals(new Destination("127.0.0.1", 1080), hop.address());
        assertEquals("alice", hop.user());
        assertEquals("s3cret", hop.password());
        assertEquals("socks5://alice@127.0.0.1:1080", hop.toString());
        assertEquals("*.corp.example -> socks5://alice@127.0.0.1:1080", route.toString());
    }

    @Test
    void aChainListsItsHopsInOrder() {
        Route route = Route.parse("* -> socks5://127.0.0.1:1080   http://bob:pw@127.0.0.1:3128/");
        List<Hop> hops = ((HopChain) route.action()).hops();
        assertEquals(2, hops.size());
        assertEquals(Hop.Scheme.HTTP, hops.get(1).scheme());
        assertEquals("socks5://127.0.0.1:1080 http://bob@127.0.0.1:3128", route.action().via());
    }

    @Test
    void credentialsArePercentDecodedAndMayComeFromTheEnvironment() {
        Hop encoded = ((HopChain) Route.parse("*->http://a%40corp:p%3Aw%25@h.example:3128").action()).hops().get(0);
        assertEquals("a@corp", encoded.user());
        assertEquals("p:w%", encoded.password());
        Route fromEnv = RouteParser.parse("*->socks5://alice:${env:PROXY_PW}@127.0.0.1:1080",
                Map.of("PROXY_PW", "from-env")::get);
        assertEquals("from-env", ((HopChain) fromEnv.action()).hops().get(0).password());
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> RouteParser.parse("*->socks5://alice:${env:NOPE}@127.0.0.1:1080", name -> null));
        assertTrue(unset.getMessage().contains("environment variable NOPE is not set"), unset.getMessage());
    }

    @Test
    void errorsSayWhatIsWrongAndWhatWasExpected() {
        assertError("*.example.com", "no '->'");
        assertError("api.*.com->direct", "pattern 'api.*.com'");
        assertError("*->", "no action");
        assertError("*->socks4://127.0.0.1:1080", "unknown scheme 'socks4' (expected: socks5:// or http://)");
        assertError("*->https://127.0.0.1:3128", "unknown scheme 'https'");
        assertError("*->127.0.0.1:70000", "port 70000 out of range (expected: 1-65535)");
        assertError("*->127.0.0.1", "'127.0.0.1' (expected: host:port");
        assertError("*->socks5://127.0.0.1:1080 block", "'block' cannot be part of a chain");
        assertError("*->socks5://127.0.0.1:1080 127.0.0.1:8080", "in a chain");
    }

    @Test
    void errorsNeverShowThePassword() {
        for (String text : List.of("*->socks5://alice:s3cret@127.0.0.1:99999", "*->ftp://alice:s3cret@h:1",
                "*->socks5://alice:s3cret@127.0.0.1:1080 block", "*->alice:s3cret@127.0.0.1:1080",
                "*->http://alice:s3cret@[::1:3128")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.parse(text));
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().contains("alice:***@"), e.getMessage());
        }
    }

    @Test
    void theTableNamesTheOptionInErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteTable.parse("--route", List.of("*->direct", "*->nowhere")));
        assertTrue(e.getMessage().startsWith("--route: '*->nowhere': "), e.getMessage());
    }

    @Test
    void firstMatchWinsAndUnmatchedGoesDirect() {
        RouteTable table = RouteTable.parse("route", List.of("api.example.com:443->127.0.0.1:8443",
                "*.example.com->block", "10.0.0.0/8->socks5://127.0.0.1:1080"));
        assertEquals("127.0.0.1:8443", table.actionFor(new Destination("API.example.com", 443)).via());
        assertEquals("block", table.actionFor(new Destination("api.example.com", 80)).via());
        assertEquals("socks5://127.0.0.1:1080", table.actionFor(new Destination("10.1.2.3", 5432)).via());
        assertSame(dev.socksbridge.proxy.RouteAction.direct(), table.actionFor(new Destination("other.test", 80)));
        assertSame(dev.socksbridge.proxy.RouteAction.direct(), RouteTable.EMPTY.actionFor(new Destination("other.test", 80)));
    }

    private static void assertError(String text, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Route.parse(text));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
}
