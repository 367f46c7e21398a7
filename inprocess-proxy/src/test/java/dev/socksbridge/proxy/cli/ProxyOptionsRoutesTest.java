package dev.socksbridge.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.route.RouteTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyOptionsRoutesTest {

    @TempDir
    Path dir;

    @Test
    void routesComeInOrderCommandLineFirstThenTheFile() throws Exception {
        Path file = dir.resolve("routes.txt");
        Files.writeString(file, "# upstreams\n\n*.corp.example -> socks5://alice:s3cret@127.0.0.1:1080\n* -> block\n");
        RouteTable table = ProxyOptions.parse("--route-file", file.toString(),
                "--route", "api.payments.example:443->127.0.0.1:8443", "--route", "*.corp.example->direct").routeTable();
        assertEquals(4, table.routes().size());
        assertEquals("127.0.0.1:8443", table.actionFor(new Destination("api.payments.example", 443)).via());
        assertEquals("direct", table.actionFor(new Destination("db.corp.example", 5432)).via());
        assertEquals("block", table.actionFor(new Destination("elsewhere.example", 80)).via());
        assertEquals("socks5://alice@127.0.0.1:1080", RouteTable.parse("f", Files.readAllLines(file).subList(2, 3))
                .routes().get(0).action().via());
    }

    @Test
    void aBadRouteNamesTheOptionAndNeverThePassword() {
        UsageException e = assertThrows(UsageException.class,
                () -> ProxyOptions.parse("--route", "*->socks5://alice:s3cret@127.0.0.1:99999"));
        assertTrue(e.getMessage().startsWith("--route: '*->socks5://alice:***@127.0.0.1:99999': port 99999 out of range"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void aBadRouteInTheFileNamesTheFileOption() throws Exception {
        Path file = dir.resolve("routes.txt");
        Files.writeString(file, "* -> socks5://127.0.0.1:1080 block\n");
        UsageException e = assertThrows(UsageException.class, () -> ProxyOptions.parse("--route-file", file.toString()));
        assertTrue(e.getMessage().startsWith("--route-file: "), e.getMessage());
        assertTrue(e.getMessage().contains("'block' cannot be part of a chain"), e.getMessage());
        UsageException missing = assertThrows(UsageException.class,
                () -> ProxyOptions.parse("--route-file", dir.resolve("none.txt").toString()));
        assertTrue(missing.getMessage().startsWith("--route-file: "), missing.getMessage());
    }

    @Test
    void theServerGetsTheRoutes() throws Exception {
        ProxyOptions options = ProxyOptions.parse("--route", "*->block");
        assertEquals(options.routeTable(), ProxyMain.build(options).settings().router());
    }
}
