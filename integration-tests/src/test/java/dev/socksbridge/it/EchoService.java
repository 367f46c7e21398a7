package dev.socksbridge.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The tiny TCP service run INSIDE the container ({@code java -cp /app dev.socksbridge.it.EchoService PORT}):
 * echoes each connection until the client half-closes. Plain JDK, no dependencies, so its compiled class
 * runs on any JRE image; it prints {@value #READY} once it listens, which the test waits for.
 */
public final class EchoService {
    static final String READY = "echo service listening";

    private EchoService() {
    }

    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]))) {
            System.out.println(READY + " on " + server.getLocalPort());
            while (true) {
                Socket client = server.accept();
                Thread echo = new Thread(() -> echo(client), "echo");
                echo.setDaemon(true);
                echo.start();
            }
        }
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            System.out.println("echo: " + e);
        }
    }
}
