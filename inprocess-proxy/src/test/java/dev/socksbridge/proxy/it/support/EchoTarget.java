package dev.socksbridge.proxy.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link LoopbackServer#echo()} for each test: {@code @RegisterExtension final EchoTarget echo = new
 * EchoTarget();} starts it before the test and closes it after.
 */
public final class EchoTarget implements BeforeEachCallback, AfterEachCallback {

    private LoopbackServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = LoopbackServer.echo();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.close();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public int port() {
        return server.port();
    }

    /** Connections the echo server accepted so far. */
    public int accepted() {
        return server.accepted();
    }
}
