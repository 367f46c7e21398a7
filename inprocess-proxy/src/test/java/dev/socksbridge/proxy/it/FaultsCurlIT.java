package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.StandaloneProxy;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults as curl measures them ({@code -w '%{time_total} %{speed_download}'}): through the standalone jar
 * with {@code --fault}, and through the library with a fault added at run time. Each faulted fetch is
 * compared with an unfaulted one in the same test.
 */
@Timeout(120)
class FaultsCurlIT {

    @Test
    void latencyFromTheCommandLineSlowsOnlyTheMatchingDestination() throws Exception {
        try (LocalHttpServer slow = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             LocalHttpServer fast = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             StandaloneProxy proxy = StandaloneProxy.start("--fault",
                     "127.0.0.1:" + slow.port() + "->latency latency=500 direction=down")) {
            timed(proxy.hostPort(), fast.uri("127.0.0.1").toString()); // warms the fresh CLI JVM: not a fault's cost
            double fastSeconds = timed(proxy.hostPort(), fast.uri("127.0.0.1").toString())[0];
            double slowSeconds = timed(proxy.hostPort(), slow.uri("127.0.0.1").toString())[0];
            assertTrue(slowSeconds - fastSeconds >= 0.35, "faulted " + slowSeconds + "s, other " + fastSeconds + "s");
            proxy.awaitLineContaining("CONNECT 127.0.0.1:" + slow.port() + " ", " faults=latency");
            assertTrue(proxy.output().stream().noneMatch(l -> l.contains(":" + fast.port() + " ") && l.contains("faults=")),
                    () -> "the other destination was marked: " + proxy.output());
        }
    }

    @Test
    void resetPeerFromTheCommandLineIsAResetForCurl() throws Exception {
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getByName("127.0.0.1"));
             StandaloneProxy proxy = StandaloneProxy.start("--fault", "*->reset_peer timeout=0 direction=up")) {
            Curl.Result result = Curl.run("--socks5", proxy.hostPort(), http.uri("127.0.0.1").toString());
            assertEquals(56, result.exitCode(), result::describe); // CURLE_RECV_ERROR
            assertTrue(result.stderr().toLowerCase(Locale.ROOT).contains("connection reset"), result::describe);
            assertEquals(0, http.requests(), "the request must not have reached the server");
            proxy.awaitLineContaining("CONNECT 127.0.0.1:" + http.port() + " ", " faults=reset_peer");
        }
    }

    @Test
    void aBadFaultOptionIsRefusedWithTheOptionNamed() throws Exception {
        StandaloneProxy.Exited exited = StandaloneProxy.runToExit("--fault", "*->latency toxicity=2");
        assertEquals(2, exited.exitCode());
        assertTrue(exited.stderr().contains(
                "socksbridge-proxy: --fault: fault '*->latency toxicity=2': toxicity=2 (expected: a number from 0 to 1)"),
                exited.stderr());
    }

    @Test
    void bandwidthAddedAtRunTimeCapsTheSpeedCurlMeasures() throws Exception {
        byte[] body = new byte[512 * 1024];
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        http.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        EventRecorder events = new EventRecorder();
        try (Socks5Server server = Socks5Server.builder().listener(events).build().start()) {
            String proxy = "127.0.0.1:" + server.address().getPort();
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            double unlimited = timed(proxy, url)[1];
            server.faults().add("127.0.0.1->bandwidth rate=256 direction=down");
            double[] limited = timed(proxy, url);
            assertTrue(limited[1] <= 256 * 1024 * 1.25, "speed with rate=256 KiB/s: " + limited[1] + " B/s");
            assertTrue(unlimited >= 2 * limited[1], "unlimited " + unlimited + " B/s, limited " + limited[1] + " B/s");
            events.nextClose();
            assertEquals(List.of("bandwidth"), events.nextClose().faults());
        } finally {
            http.stop(0);
        }
    }

    /** {@code [time_total seconds, speed_download bytes/s]} of one successful fetch through the SOCKS5 proxy. */
    private static double[] timed(String proxy, String url) throws Exception {
        Curl.Result result = Curl.run("--socks5", proxy, "-o", "/dev/null", "-w", "%{time_total} %{speed_download}", url);
        assertEquals(0, result.exitCode(), result::describe);
        String[] parts = result.stdout().trim().split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }
}
