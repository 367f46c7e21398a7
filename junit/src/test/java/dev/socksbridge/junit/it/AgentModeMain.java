package dev.socksbridge.junit.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs in a child JVM started with {@code -javaagent:socksbridge-agent.jar}: runs the {@link Samples} through
 * the JUnit engine and prints one {@code RESULT} line per test (newlines escaped) for {@link AgentModeIT}.
 */
public final class AgentModeMain {

    static final List<Class<?>> SAMPLES = List.of(Samples.UnexpectedSample.class, Samples.ExecutorSample.class,
            Samples.VirtualThreadSample.class, Samples.ParameterSample.class, Samples.HttpSample.class,
            Samples.LoopbackExcludedSample.class, Samples.RecordOnlySample.class, RouteSamples.StandInSample.class,
            RouteSamples.BlockSample.class, FaultSamples.DeclaredSample.class, FaultSamples.ProgrammaticSample.class);

    private AgentModeMain() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        try (EchoServer echo = new EchoServer()) {
            Samples.echo = echo;
            Samples.httpUrl = "http://localhost:" + http.getAddress().getPort() + "/";
            for (Class<?> sample : SAMPLES) {
                EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents().finished()
                        .stream().forEach(e -> System.out.println("RESULT " + sample.getSimpleName() + "#"
                                + e.getTestDescriptor().getDisplayName() + " :: " + resultOf(e)));
            }
            System.out.println("ECHO_PORT " + echo.port());
            System.out.println("SELECTOR " + (Samples.selectorDuringTest == null ? "none"
                    : Samples.selectorDuringTest.getClass().getName()));
        } finally {
            http.stop(0);
        }
    }

    private static String resultOf(Event finished) {
        TestExecutionResult result = finished.getRequiredPayload(TestExecutionResult.class);
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return "passed";
        }
        Throwable failure = result.getThrowable().orElseThrow();
        return (failure.getClass().getSimpleName() + ": " + failure.getMessage()).replace("\r", "").replace("\n", "\\n");
    }
}
