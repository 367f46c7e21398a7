package dev.socksbridge.agent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

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

    /** Stands for a JDK that was looked for and not found; {@link #command} turns it into a skip that says so. */
    private static final String MISSING_JDK = "missing-jdk-";

    /**
     * A JDK with virtual threads and JDK 17, each found as .ci/run finds JDKs, or a marker that skips saying
     * which was not tested. The first is this JDK, unless Maven runs on 17 itself: then JDK 25, so a run on
     * 17 does not test 17 twice and 25 never.
     */
    static List<String> javas() {
        Optional<String> java17 = Jdks.find(17);
        if (java17.isEmpty()) {
            System.err.println("socksbridge ITs: NOT TESTED on JDK 17: " + Jdks.whereLooked(17));
        }
        String newer = currentJava();
        if (Runtime.version().feature() == 17) {
            Optional<String> java25 = Jdks.find(25);
            if (java25.isEmpty()) {
                System.err.println("socksbridge ITs: NOT TESTED on JDK 25: " + Jdks.whereLooked(25));
            }
            newer = java25.orElse(MISSING_JDK + 25);
        }
        return List.of(newer, java17.orElse(MISSING_JDK + 17));
    }

    /** JDK 17's java, or a skip that says the test was not run on JDK 17. */
    static String java17() {
        String java = javas().get(1);
        assumeFound(java);
        return java;
    }

    private static void assumeFound(String java) {
        Assumptions.assumeFalse(java.startsWith(MISSING_JDK), () -> "NOT TESTED on JDK "
                + java.substring(MISSING_JDK.length()) + ": "
                + Jdks.whereLooked(Integer.parseInt(java.substring(MISSING_JDK.length()))));
    }

    /** {@code java [-javaagent:jar=options] -cp probe dev.socksbridge.probe.ProbeApp scenarios...}. */
    static List<String> probe(String java, String agentOptions, List<String> extraClasspath, List<String> jvmArgs,
            String... scenarios) {
        return command(java, "dev.socksbridge.probe.ProbeApp", agentOptions, extraClasspath, jvmArgs, scenarios);
    }

    /** Like {@link #probe} for another probe main class (the NIO and Netty probes). */
    static List<String> command(String java, String mainClass, String agentOptions, List<String> extraClasspath,
            List<String> jvmArgs, String... scenarios) {
        assumeFound(java);
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
        command.add(mainClass);
        command.addAll(List.of(scenarios));
        return command;
    }

    /** Echoes every byte back until the client half-closes. One platform thread per connection. */
    static ServerSocket echoServer() throws IOException {
        return echoServer(InetAddress.getLoopbackAddress());
    }

    static ServerSocket echoServer(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, address);
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

    /** Sends every datagram back to where it came from, on a daemon thread, until closed. */
    static DatagramSocket udpEchoServer() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread echo = new Thread(() -> {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            try {
                while (true) {
                    packet.setLength(2048);
                    socket.receive(packet);
                    socket.send(packet); // the packet still names its sender
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        }, "udp-echo-" + socket.getLocalPort());
        echo.setDaemon(true);
        echo.start();
        return socket;
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
