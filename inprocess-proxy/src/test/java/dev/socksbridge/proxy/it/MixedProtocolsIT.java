package dev.socksbridge.proxy.it;

import static dev.socksbridge.proxy.ConnectionPolicy.allowIf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.Protocol;
import dev.socksbridge.proxy.Socks5Server;
import dev.socksbridge.proxy.it.child.HttpsThroughProxy;
import dev.socksbridge.proxy.it.child.Socks4Client;
import dev.socksbridge.proxy.it.support.Curl;
import dev.socksbridge.proxy.it.support.EventRecorder;
import dev.socksbridge.proxy.it.support.ExternalProcess;
import dev.socksbridge.proxy.it.support.Limits;
import dev.socksbridge.proxy.it.support.LocalHttpServer;
import dev.socksbridge.proxy.it.support.LocalHttpsServer;
import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.NodeSocks;
import dev.socksbridge.proxy.it.support.UdpEcho;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One server instance, every protocol at once: curl (SOCKS4, SOCKS4a, SOCKS5, HTTP CONNECT incl. a 403),
 * the JDK's SOCKS4 client in a child JVM, java.net.http.HttpClient through CONNECT, and the npm socks
 * client's BIND and UDP ASSOCIATE, all started together.
 */
@Timeout(240)
class MixedProtocolsIT {

    private final EventRecorder events = new EventRecorder();

    @Test
    void everyClientAtOnceAgainstOnePort() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (LocalHttpServer http = LocalHttpServer.start(InetAddress.getLoopbackAddress());
                LocalHttpsServer https = LocalHttpsServer.start();
                LoopbackServer echo = LoopbackServer.echo();
                UdpEcho udpEcho = UdpEcho.start();
                Socks5Server server = Socks5Server.builder().listener(events)
                        .policy(allowIf(request -> !request.destination().host().equals("blocked.invalid")))
                        .build().start()) {
            int port = server.address().getPort();
            String socks = "127.0.0.1:" + port;
            String target = http.uri("127.0.0.1").toString();
            Map<String, Callable<String>> clients = new LinkedHashMap<>();
            clients.put("curl --socks4", () -> curlBody("--socks4", socks, target));
            clients.put("curl --socks4a", () -> curlBody("--socks4a", socks, http.uri("localhost").toString()));
            clients.put("curl --socks5-hostname", () -> curlBody("--socks5-hostname", socks, target));
            clients.put("curl -p --proxy http", () -> curlBody("-p", "--proxy", "http://" + socks, target));
            clients.put("curl 403", () -> {
                Curl.Result denied = Curl.run("-p", "--proxy", "http://" + socks, "http://blocked.invalid/");
                assertTrue(denied.exitCode() != 0 && denied.stderr().contains("403"), denied::describe);
                return "403";
            });
            clients.put("HttpClient CONNECT", () -> HttpsThroughProxy.get(port, https.uri(), LocalHttpsServer.keyStore(),
                    null, null));
            clients.put("JDK SOCKS4 (child JVM)", () -> {
                ExternalProcess.Result result = ExternalProcess.runJava(Socks4Client.class,
                        List.of("-DsocksProxyVersion=4"), String.valueOf(port), String.valueOf(echo.port()));
                assertEquals(0, result.exitCode(), result::describe);
                return result.stdout().strip();
            });
            clients.put("node socks BIND + UDP", () -> NodeSocks.run(port, udpEcho.port()).json());

            Map<String, Future<String>> running = new LinkedHashMap<>();
            clients.forEach((name, client) -> running.put(name, pool.submit(client)));
            Map<String, String> results = new LinkedHashMap<>();
            for (Map.Entry<String, Future<String>> entry : running.entrySet()) {
                results.put(entry.getKey(), outcome(entry.getKey(), entry.getValue()));
            }
            assertEquals(http.body(), results.get("curl --socks4"));
            assertEquals(http.body(), results.get("curl --socks4a"));
            assertEquals(http.body(), results.get("curl --socks5-hostname"));
            assertEquals(http.body(), results.get("curl -p --proxy http"));
            assertEquals("status=200 body=" + LocalHttpsServer.body().strip(), results.get("HttpClient CONNECT"));
            assertEquals("echo=hello socks4", results.get("JDK SOCKS4 (child JVM)"));
            NodeSocks.Output node = new NodeSocks.Output(results.get("node socks BIND + UDP"));
            assertEquals("from the client", node.get("bind5.peerGot"));
            assertEquals("from the peer", node.get("bind4.clientGot"));
            assertEquals("udp with a domain header", node.get("udp.domainData"));

            assertEventsCoverEveryProtocol();
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Limits.IO.toSeconds(), TimeUnit.SECONDS), "client threads ended");
        }
    }

    private static String curlBody(String... args) throws Exception {
        Curl.Result result = Curl.run(args);
        assertEquals(0, result.exitCode(), result::describe);
        return result.stdout();
    }

    private static String outcome(String name, Future<String> future) throws InterruptedException {
        try {
            return future.get(Limits.IO.toSeconds() + 90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(name + " failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(name + " did not finish in time", e);
        }
    }

    /** 7 connections by curl, HttpClient and the child JVM plus 3 by node (2 BIND, 1 UDP): each reported as expected. */
    private void assertEventsCoverEveryProtocol() throws InterruptedException {
        List<ConnectionEvent> closed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            closed.add(events.nextClose());
        }
        List<String> seen = new ArrayList<>();
        for (ConnectionEvent event : closed) {
            seen.add(event.protocol().label() + "/" + event.command().label() + "/" + event.outcome().label());
        }
        for (String expected : List.of("socks4/connect/ok", "socks4a/connect/ok", "socks5/connect/ok",
                "http-connect/connect/ok", "http-connect/connect/denied", "socks5/bind/ok", "socks4/bind/ok",
                "socks5/udp-associate/ok")) {
            assertTrue(seen.contains(expected), () -> expected + " missing in " + seen);
        }
        assertEquals(10, closed.stream().filter(e -> e.command() != null).count());
        assertTrue(closed.stream().noneMatch(e -> e.command() == Command.UDP_ASSOCIATE && e.datagramsDropped() > 0),
                seen::toString);
        assertTrue(closed.stream().filter(e -> e.outcome() != Outcome.OK).allMatch(e -> e.protocol()
                == Protocol.HTTP_CONNECT), seen::toString);
    }
}
