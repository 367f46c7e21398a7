package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.route.RouteTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The routes of the running {@link Socksbridge} test: its {@link Route} annotations, and those added from the
 * test itself with {@link #add}. They apply from just before the test method runs until just after it
 * (connections of {@code @BeforeEach}/{@code @AfterEach} methods are not routed), whether the extension runs
 * its own server or the socksbridge agent is loaded (the agent tries them before its {@code route=} options).
 * JVM-wide: with parallel test execution, tests running at the same time share them.
 */
public final class TestRoutes {

    static final String AGENT_ROUTES_CLASS = "dev.socksbridge.agent.bootstrap.AgentRoutes";

    private static final List<String> annotated = new ArrayList<>();
    private static final List<String> added = new ArrayList<>();
    private static boolean active;
    private static volatile RouteTable table = RouteTable.EMPTY;

    private TestRoutes() {
    }

    /**
     * Adds {@code PATTERN -> ACTION} for the rest of the current test, before every route it has so far.
     *
     * @throws IllegalStateException outside a running {@link Socksbridge} test method
     * @throws IllegalArgumentException a malformed route, naming it (never a password) and the grammar
     */
    public static synchronized void add(String route) {
        if (!active) {
            throw new IllegalStateException("TestRoutes.add(\"" + route + "\"): no @Socksbridge test method is running"
                    + " (expected: a call from the test method, or code it runs)");
        }
        RouteTable.parse("TestRoutes.add", List.of(route));
        added.add(0, route);
        publish();
    }

    /** The extension, just before the test method: the annotations' routes, placeholders filled. */
    static synchronized void begin(List<String> routes) {
        RouteTable.parse("@Route", routes); // fails the test early, naming the route
        annotated.clear();
        annotated.addAll(routes);
        added.clear();
        active = true;
        publish();
    }

    /** The extension, just after the test method. */
    static synchronized void end() {
        annotated.clear();
        added.clear();
        active = false;
        publish();
    }

    /** For the extension's own server: the current routes, direct when none matches. */
    static RouteAction route(ConnectionRequest request) {
        return table.route(request);
    }

    private static void publish() {
        List<String> all = new ArrayList<>(added);
        all.addAll(annotated);
        table = RouteTable.parse("@Route", all);
        toAgent(List.copyOf(all));
    }

    /** With the agent loaded, its proxy makes the connections: hand it the same routes (JDK types only). */
    private static void toAgent(List<String> routes) {
        Class<?> agentRoutes;
        try {
            agentRoutes = Class.forName(AGENT_ROUTES_CLASS, false, null);
        } catch (ClassNotFoundException e) {
            return; // no agent: the extension's own server reads the table
        }
        try {
            Method set = agentRoutes.getMethod("setTestRoutes", List.class);
            set.invoke(null, routes);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("@Route: the loaded socksbridge agent lacks " + AGENT_ROUTES_CLASS
                    + ".setTestRoutes(List): use the same version of the agent and socksbridge-junit", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("@Route: the agent refused the routes", e.getCause());
        }
    }
}
