package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.route.RouteTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsRoutesTest {

    @TempDir
    Path dir;

    @Test
    void routeMayBeGivenSeveralTimesAndKeepsItsOrder() {
        AgentOptions o = AgentOptions.parse("route=api.payments.example:443->127.0.0.1:8443,"
                + "route=*.corp.example->socks5://alice:s3cret@127.0.0.1:1080,route=*->http://127.0.0.1:3128");
        assertEquals(3, o.routes().size());
        RouteTable table = o.routeTable();
        assertEquals("127.0.0.1:8443", table.actionFor(new Destination("api.payments.example", 443)).via());
        assertEquals("socks5://alice@127.0.0.1:1080", table.actionFor(new Destination("db.corp.example", 5432)).via());
        assertEquals("http://127.0.0.1:3128", table.actionFor(new Destination("other.example", 80)).via());
        assertFalse(o.toString().contains("s3cret"), o.toString());
        assertTrue(AgentOptions.parse(null).routes().isEmpty());
    }

    @Test
    void theArgumentsRoutesComeBeforeTheConfigFilesOnes() throws Exception {
        Path config = dir.resolve("agent.conf");
        Files.write(config, List.of("# routes for the corp network", "route=*.corp.example->socks5://127.0.0.1:1080",
                "route=* -> block"));
        AgentOptions o = AgentOptions.parse("config=" + config + ",route=db.corp.example->direct");
        assertEquals(List.of("db.corp.example->direct", "*.corp.example->socks5://127.0.0.1:1080", "* -> block"),
                o.routes());
    }

    @Test
    void aBadRouteIsOneLineNamingTheOptionWithoutThePassword() {
        for (String bad : List.of("route=*->socks5://alice:s3cret@127.0.0.1:70000", "route=*->gopher://h:1",
                "route=*.example.com", "route=* -> socks5://alice:s3cret@127.0.0.1:1080 block")) {
            AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AgentOptions.parse(bad));
            assertTrue(e.getMessage().startsWith("socksbridge: option route: '"), e.getMessage());
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}
