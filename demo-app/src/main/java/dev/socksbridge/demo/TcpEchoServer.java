package dev.socksbridge.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Echoes each connection's bytes back until the client half-closes; one daemon thread per connection. */
final class TcpEchoServer implements AutoCloseable {
    private final ServerSocket server;

    private TcpEchoServer(ServerSocket server) {
        this.server = server;
    }

    /** Binds an ephemeral port on {@code address} and starts accepting. */
    static TcpEchoServer start(InetAddress address) throws IOException {
        return start(address, 0);
    }

    /** Binds {@code port} (0: an ephemeral one) on {@code address} and starts accepting. */
    static TcpEchoServer start(InetAddress address, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            server.close();
            throw new IOException("TCP echo server: cannot bind " + address.getHostAddress() + ": " + e.getMessage(), e);
        }
        TcpEchoServer echo = new TcpEchoServer(server);
        Daemons.start("tcp-echo-accept", echo::acceptLoop);
        return echo;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                // Closed by close(), or broken: either way no more clients; a call still trying reports
                // its own connect failure.
                return;
            }
            Daemons.start("tcp-echo", () -> echo(client));
        }
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            client.setSoTimeout(Timeouts.readMillis());
            in.transferTo(out);
        } catch (IOException e) {
            // The client went away mid-echo: nothing to tell it, the client reports its own failure.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
