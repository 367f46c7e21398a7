package dev.socksbridge.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The echo and HTTP servers on loopback ({@link Fixtures#echoServer()}, {@link Fixtures#httpServer()}) a test
 * class's probes reach, started before its tests and stopped after them: register it as a static field.
 */
final class LoopbackTargets implements BeforeAllCallback, AfterAllCallback {

    private ServerSocket echo;
    private HttpServer http;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        echo = Fixtures.echoServer();
        http = Fixtures.httpServer();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        echo.close();
        http.stop(0);
    }

    int echoPort() {
        return echo.getLocalPort();
    }

    int httpPort() {
        return http.getAddress().getPort();
    }
}
