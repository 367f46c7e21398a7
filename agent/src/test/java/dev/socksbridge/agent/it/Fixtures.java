package dev.socksbridge.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loopback servers for the probe to reach, and the command lines that start it. */
final class Fixtures {

    static final int HTTP_BODY = 4321;

    private Fixtures() {
    }

    static Path agentJar() {
        Path jar = Path.of(required("socksbridge.agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("agent jar missing: " + jar + " (run through mvn verify)");
        }
        return jar;
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new AssertionError("system property " + property + " not set (run through mvn verify)");
        }
        return value;
    }

    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java [-javaagent:jar=options] -cp probe dev.socksbridge.probe.ProbeApp scenarios...}. */
    static List<String> probe(String java, String agentOptions, List<String> extraClasspath, List<String> jvmArgs,
            String... scenarios) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xshare:auto");
        command.addAll(jvmArgs);
        if (agentOptions != null) {
            command.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        List<String> classpath = new ArrayList<>();
        classpath.add(required("socksbridge.probe.classes"));
        classpath.addAll(extraClasspath);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add("dev.socksbridge.probe.ProbeApp");
        command.addAll(List.of(scenarios));
        return command;
    }

    /** Echoes every byte back until the client half-closes. One platform thread per connection. */
    static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread session = new Thread(() -> echo(client), "echo-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void echo(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            in.transferTo(out);
            client.shutdownOutput();
        } catch (IOException e) {
            // the client went away; nothing to echo
        }
    }

    /** Answers every request with {@link #HTTP_BODY} bytes. */
    static HttpServer httpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "x".repeat(HTTP_BODY).getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
