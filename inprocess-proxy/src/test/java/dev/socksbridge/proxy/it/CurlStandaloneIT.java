package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.StandaloneProxy;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * curl through the standalone jar ({@code java -jar target/socksbridge-proxy.jar}), each test with its
 * own proxy process, checking the page arrived and the proxy's log line ("CONNECT DEST -> REACHED ok ...")
 * shows the destination as curl sent it (a name only with --socks5-hostname / socks5h).
 */
@Timeout(120)
class CurlStandaloneIT {

    @Test
    void socks5WithLocallyResolvedIpv4Target() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             StandaloneProxy proxy = StandaloneProxy.start()) {
            assertFetches(http, Curl.run("--socks5", proxy.hostPort(), http.uri("127.0.0.1").toString()));
            proxy.awaitLineContaining("CONNECT 127.0.0.1:" + http.port() + " ", " ok ");
        }
    }

    @Test
    void socks5HostnameLetsTheProxyResolveTheName() throws Exception {
        // Bound where the proxy's JVM resolves "localhost" (same JDK, same default preference for IPv4).
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("localhost"));
             StandaloneProxy proxy = StandaloneProxy.start()) {
            assertFetches(http, Curl.run("--socks5-hostname", proxy.hostPort(), http.uri("localhost").toString()));
            proxy.awaitLineContaining("CONNECT localhost:" + http.port() + " ", " ok ");
        }
    }

    @Test
    void socks5hUrlWithUserAndPasswordAuthenticates() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("localhost"));
             StandaloneProxy proxy = StandaloneProxy.start("--user", "alice", "--password", "s3cret")) {
            assertFetches(http, Curl.run("-x", "socks5h://alice:s3cret@" + proxy.hostPort(),
                    http.uri("localhost").toString()));
            proxy.awaitLineContaining("CONNECT localhost:" + http.port() + " ", " ok ");
            assertNeverLogged(proxy, "s3cret");
        }
    }

    @Test
    void socks5hUrlWithAWrongPasswordIsRejected() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("localhost"));
             StandaloneProxy proxy = StandaloneProxy.start("--user", "alice", "--password", "s3cret")) {
            Curl.Result result = Curl.run("-x", "socks5h://alice:wrong@" + proxy.hostPort(),
                    http.uri("localhost").toString());
            assertNotEquals(0, result.exitCode(), result::describe);
            assertEquals(0, http.requests(), "no request may reach the target without authentication");
            proxy.awaitLineContaining(" auth-failed ");
            assertNeverLogged(proxy, "wrong");
        }
    }

    @Test
    void proxyListeningOnIpv6LoopbackServesCurl() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             StandaloneProxy proxy = StandaloneProxy.start("--bind", "::1")) {
            assertFetches(http, Curl.run("-x", "socks5h://[::1]:" + proxy.address().getPort(),
                    http.uri("127.0.0.1").toString()));
        }
    }

    @Test
    void ipv6TargetIsReachedThroughTheProxy() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("::1"));
             StandaloneProxy proxy = StandaloneProxy.start()) {
            assertFetches(http, Curl.run("--socks5", proxy.hostPort(), http.uri("[::1]").toString()));
            proxy.awaitLineContaining("CONNECT [::1]:" + http.port() + " ", " ok ");
        }
    }

    private static void assertNeverLogged(StandaloneProxy proxy, String secret) {
        assertTrue(proxy.output().stream().noneMatch(line -> line.contains(secret)),
                () -> "a password appeared in the proxy's output: " + proxy.output());
    }

    private static void assertFetches(LocalHttpServer http, Curl.Result result) {
        assertEquals(0, result.exitCode(), result::describe);
        assertEquals(http.body(), result.stdout(), result::describe);
        assertEquals(1, http.requests(), "requests the HTTP server saw");
    }
}
