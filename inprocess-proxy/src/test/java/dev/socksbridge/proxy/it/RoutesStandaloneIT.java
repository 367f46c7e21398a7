package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.StandaloneProxy;
import dev.socksbridge.proxy.it.support.UpstreamProxy;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The standalone jar's {@code --route} and {@code --route-file}, with curl as the client. */
@Timeout(120)
class RoutesStandaloneIT {

    @TempDir
    Path dir;

    @Test
    void aRouteOnTheCommandLineSendsANameToAStandIn() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             StandaloneProxy proxy = StandaloneProxy.start("--route",
                     "shop.invalid:80 -> 127.0.0.1:" + http.port())) {
            Curl.Result result = Curl.run("--socks5-hostname", proxy.hostPort(), "http://shop.invalid/");
            assertEquals(0, result.exitCode(), result::describe);
            assertEquals(1, http.requests());
            proxy.awaitLineContaining("CONNECT shop.invalid:80 -> 127.0.0.1:" + http.port() + " ok ",
                    "via=\"127.0.0.1:" + http.port() + "\"");
        }
    }

    @Test
    void routesFromAFileGoThroughTinyproxyAndItsPasswordIsNeverPrinted() throws Exception {
        try (UpstreamProxy tiny = UpstreamProxy.tinyproxy("alice", "file-s3cret");
             LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"))) {
            Path routes = dir.resolve("routes.txt");
            Files.writeString(routes, "# the corporate proxy\n* -> http://alice:file-s3cret@127.0.0.1:" + tiny.port() + "\n");
            try (StandaloneProxy proxy = StandaloneProxy.start("--route-file", routes.toString())) {
                Curl.Result result = Curl.run("--socks5", proxy.hostPort(), http.uri("127.0.0.1").toString());
                assertEquals(0, result.exitCode(), result::describe);
                proxy.awaitLineContaining("CONNECT 127.0.0.1:" + http.port(), " ok ",
                        "via=\"http://alice@127.0.0.1:" + tiny.port() + "\"");
                tiny.awaitLogLine(l -> l.contains("CONNECT 127.0.0.1:" + http.port()));
                assertTrue(proxy.output().stream().anyMatch(l -> l.contains("route * -> http://alice@127.0.0.1:")),
                        proxy.output()::toString);
                assertFalse(String.join("\n", proxy.output()).contains("file-s3cret"), proxy.output()::toString);
            }
        }
    }

    @Test
    void aBadRouteExitsTwoNamingTheOptionWithoutThePassword() throws Exception {
        StandaloneProxy.Exited exited = StandaloneProxy.runToExit("--route", "*->socks5://alice:s3cret@127.0.0.1:0");
        assertEquals(2, exited.exitCode(), exited::toString);
        assertTrue(exited.stderr().startsWith("socksbridge-proxy: --route: '*->socks5://alice:***@127.0.0.1:0': port 0"),
                exited::toString);
        assertFalse(exited.stderr().contains("s3cret"), exited::toString);
    }
}
