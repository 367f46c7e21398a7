package dev.socksbridge.probe;

import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty HTTP client calling a Reactor Netty HTTP server on loopback, both on the transport
 * Reactor Netty picks by default (epoll on Linux when it is on the class path). Scenarios: {@code get}
 * prints {@code PROBE get reply=<status>:<body> remote=<channel's remoteAddress> channel=<its class>
 * line=<the request's line>}; {@code refused:PORT} requests a port nothing listens on and prints the error.
 */
public final class ReactorProbeApp {

    private ReactorProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("PROBE epoll available=" + Epoll.isAvailable());
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/hello", (request, response) -> response.sendString(Mono.just("hi"))))
                .bindNow();
        try {
            for (String scenario : args) {
                if (scenario.equals("get")) {
                    get(server.port());
                } else {
                    refused(Integer.parseInt(scenario.substring("refused:".length())));
                }
            }
        } finally {
            server.disposeNow();
        }
        System.out.println("PROBE done");
    }

    private static void get(int port) {
        AtomicReference<String> remote = new AtomicReference<>();
        AtomicReference<String> channel = new AtomicReference<>();
        HttpClient client = HttpClient.create().doOnConnected(connection -> {
            remote.set(NioProbeApp.text(connection.channel().remoteAddress()));
            channel.set(connection.channel().getClass().getSimpleName());
        });
        Mono<String> request = client.get().uri("http://127.0.0.1:" + port + "/hello")
                .responseSingle((response, body) -> body.asString().map(text -> response.status().code() + ":" + text));
        int line = nextLine();
        String reply = request.block(Duration.ofSeconds(20));
        System.out.println("PROBE get reply=" + reply + " remote=" + remote.get() + " channel=" + channel.get()
                + " line=" + line);
    }

    private static void refused(int port) {
        Mono<String> outcome = HttpClient.create().get().uri("http://127.0.0.1:" + port + "/hello").response()
                .map(response -> "none").onErrorResume(failure -> Mono.just(NettyProbeApp.describe(failure)));
        int line = nextLine();
        String error = outcome.block(Duration.ofSeconds(20));
        System.out.println("PROBE refused line=" + line + " error=" + error);
    }

    private static int nextLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }
}
