package dev.socksbridge.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The app gets the exception a direct connect would give: the same probe runs without and with the agent
 * (which then sends every connect, loopback included, through its proxy), on this JDK and JDK 17, and each
 * failed connect must show the same exception type and message on every JDK API.
 *
 * <p>Refused, unresolvable and timed-out connects happen on loopback (a closed port, a {@code .invalid}
 * name, a server whose accept queue is full). Host and network unreachable need routes a loopback-only
 * machine lacks: those run in a network namespace this test creates (root and {@code ip} needed, else they
 * are skipped and say so), holding only {@code lo} and an {@code unreachable} route for 192.0.2.1
 * (TEST-NET-1); 198.51.100.1 (TEST-NET-2) has no route there at all. No packet leaves the namespace.
 */
class ExceptionParityIT {

    private static final String PROBE = "dev.socksbridge.probe.ParityProbeApp";
    private static final List<String> APIS = List.of("socket", "url", "nio", "adaptor", "async", "httpclient");
    /** The agent's proxy gives up a dial after 10 s by default; an app timeout above it must be the one that counts. */
    private static final int LONGER_THAN_PROXY_MILLIS = 11_000;

    private static NetNamespace namespace;

    @TempDir
    Path dir;

    static Stream<String> javas() {
        return Fixtures.javas().stream();
    }

    @BeforeAll
    static void createNamespace() throws Exception {
        namespace = NetNamespace.create("sbparity-" + ProcessHandle.current().pid(),
                new String[] {"ip", "route", "add", "unreachable", "192.0.2.1/32"});
    }

    @AfterAll
    static void deleteNamespace() throws Exception {
        namespace.close();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void refusedUnresolvableAndTimedOutConnectsFailAsWithoutTheAgent(String java) throws Exception {
        List<String> scenarios = new ArrayList<>();
        for (String api : APIS) {
            scenarios.add(api + ":refused:closed:0:0");
            scenarios.add(api + ":unknown:nohost.invalid:80:0");
        }
        // Channels have no connect timeout of their own (the OS's takes minutes): see docs/agent.md.
        scenarios.add("socket:timeout:full:0:700");
        scenarios.add("url:timeout:full:0:700");
        scenarios.add("adaptor:timeout:full:0:700");
        Map<String, String> direct = run(java, null, false, scenarios);
        assertEquals("java.net.ConnectException: Connection refused", direct.get("socket refused"), direct.toString());
        assertEquals("java.net.UnknownHostException: nohost.invalid", direct.get("socket unknown"), direct.toString());
        assertEquals("java.net.SocketTimeoutException: Connect timed out", direct.get("socket timeout"),
                direct.toString());
        assertEquals(direct, run(java, "include-loopback=true", false, scenarios));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void unreachableHostsAndNetworksFailAsWithoutTheAgent(String java) throws Exception {
        assumeTrue(namespace.missing() == null, () -> "NOT TESTED (host/network unreachable): " + namespace.missing());
        List<String> scenarios = new ArrayList<>();
        for (String api : APIS) {
            scenarios.add(api + ":hostunreach:192.0.2.1:80:0");
            scenarios.add(api + ":netunreach:198.51.100.1:80:0");
        }
        Map<String, String> direct = run(java, null, true, scenarios);
        assertEquals("java.net.NoRouteToHostException: No route to host", direct.get("socket hostunreach"),
                direct.toString());
        assertEquals("java.net.SocketException: Network is unreachable", direct.get("socket netunreach"),
                direct.toString());
        assertEquals(direct, run(java, "", true, scenarios));
    }

    @ParameterizedTest
    @MethodSource("javas")
    void theAppsConnectTimeoutBoundsTheProxiedConnectEvenAboveTheProxysOwn(String java) throws Exception {
        // one pair of JVMs per API, all four at once: each scenario waits the whole 11 s
        List<String> apis = List.of("socket", "adaptor");
        List<ChildJvm> directs = new ArrayList<>();
        List<ChildJvm> agents = new ArrayList<>();
        try {
            for (String api : apis) {
                List<String> scenario = List.of(api + ":timeout:full:0:" + LONGER_THAN_PROXY_MILLIS);
                directs.add(ChildJvm.start(command(java, null, false, scenario)));
                agents.add(ChildJvm.start(command(java, "include-loopback=true", false, scenario)));
            }
            for (int i = 0; i < apis.size(); i++) {
                String key = apis.get(i) + " timeout";
                Map<String, String> withAgent = results(agents.get(i));
                assertEquals(results(directs.get(i)), withAgent);
                assertEquals("java.net.SocketTimeoutException: Connect timed out", withAgent.get(key));
                // A lower bound, not a speed goal: the proxy's 10 s must not cut the app's 11 s short.
                assertTrue(elapsedMillis(agents.get(i), key) >= LONGER_THAN_PROXY_MILLIS, agents.get(i).output());
            }
        } finally {
            for (ChildJvm child : directs) {
                child.close();
            }
            for (ChildJvm child : agents) {
                child.close();
            }
        }
    }

    /**
     * {@code HttpClient.connectTimeout} is the client's own timer on its selector thread, which a proxied
     * connect's completion waiting there for the proxy held up: with an 11 s timeout the app got
     * {@code ConnectException: Connection timed out} (the proxy's 10 s dial, then a retry's) instead of
     * the client's {@code HttpConnectTimeoutException}; with 300 ms the right exception came only after the
     * proxy's 10 s. Now the proxy dials with the app's timeout and the client's timer runs at its time:
     * the same exceptions as without the agent, and each connect is recorded as a proxied timeout.
     */
    @ParameterizedTest
    @MethodSource("javas")
    void httpClientsConnectTimeoutBoundsTheProxiedConnectAboveAndBelowTheProxysOwn(String java) throws Exception {
        List<String> scenarios = List.of("httpclient:timeout:full:0:" + LONGER_THAN_PROXY_MILLIS,
                "httpclient:timeout:full:0:300");
        Path events = dir.resolve("events.jsonl");
        ChildJvm direct = ChildJvm.start(command(java, null, false, scenarios));
        ChildJvm agent = ChildJvm.start(command(java, "include-loopback=true,events=" + events, false, scenarios));
        try (direct; agent) {
            List<String> expected = shown(direct);
            assertEquals(List.of(TIMED_OUT, TIMED_OUT), expected, direct.output());
            assertEquals(expected, shown(agent), agent.output());
            List<Map<String, Object>> proxied = Events.read(events).stream()
                    .filter(e -> "proxy".equals(e.get("route"))).toList();
            assertEquals(2, proxied.size(), proxied + "\n" + agent.output());
            for (Map<String, Object> event : proxied) {
                assertEquals("timeout", event.get("outcome"), event.toString());
                assertEquals("connect", event.get("caller_method"), event.toString());
            }
        }
    }

    private static final String TIMED_OUT = "java.net.http.HttpConnectTimeoutException: HTTP connect timed out"
            + " / cause java.net.http.HttpConnectTimeoutException: HTTP connect timed out";

    /** What each scenario threw, in order, for a probe that exited 0. */
    private static List<String> shown(ChildJvm child) throws InterruptedException {
        assertEquals(0, child.awaitExit(ProbeSupport.RUN_LIMIT), child.output());
        List<String> shown = new ArrayList<>();
        for (String line : child.stdoutLines()) {
            if (line.startsWith("PARITY ")) {
                String text = line.split(" ", 5)[4];
                shown.add(text.substring(0, text.lastIndexOf(" elapsedMs=")));
            }
        }
        return shown;
    }

    /** The probe's command line, in the test's namespace when {@code inNamespace}. */
    private static List<String> command(String java, String agentOptions, boolean inNamespace, List<String> scenarios) {
        List<String> command = Fixtures.command(java, PROBE, agentOptions, List.of(), List.of(),
                scenarios.toArray(String[]::new));
        return inNamespace ? namespace.exec(command) : command;
    }

    /** Runs the probe (agentOptions null: without the agent) and returns what each scenario threw. */
    private static Map<String, String> run(String java, String agentOptions, boolean inNamespace,
            List<String> scenarios) throws Exception {
        try (ChildJvm child = ChildJvm.start(command(java, agentOptions, inNamespace, scenarios))) {
            Map<String, String> seen = results(child);
            assertEquals(scenarios.size(), seen.size(), child.output());
            return seen;
        }
    }

    /** {@code "api outcome" -> "Type: message"} for each PARITY line of a probe that exited 0. */
    private static Map<String, String> results(ChildJvm child) throws InterruptedException {
        assertEquals(0, child.awaitExit(ProbeSupport.RUN_LIMIT), child.output());
        assertTrue(child.stdoutLines().contains("PROBE done"), child.output());
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : child.stdoutLines()) {
            if (line.startsWith("PARITY ")) {
                String[] head = line.split(" ", 5); // PARITY api outcome -> shown elapsedMs=N
                String shown = head[4];
                seen.put(head[1] + " " + head[2], shown.substring(0, shown.lastIndexOf(" elapsedMs=")));
            }
        }
        return seen;
    }

    private static long elapsedMillis(ChildJvm child, String key) {
        for (String line : child.stdoutLines()) {
            if (line.startsWith("PARITY " + key + " ")) {
                return Long.parseLong(line.substring(line.lastIndexOf("elapsedMs=") + "elapsedMs=".length()));
            }
        }
        throw new AssertionError("no PARITY " + key + " line\n" + child.output());
    }
}
