package dev.socksbridge.agent.bootstrap;

import java.util.List;

/**
 * Routes set from inside the application JVM while the agent runs: the socksbridge JUnit extension's
 * {@code @Route}s for the test running now. The agent's proxy tries them before its {@code route=} options.
 * On the boot class path, found by name with the bootstrap loader (like {@link AgentEvents}); only JDK types cross.
 */
public final class AgentRoutes {

    private static volatile List<String> testRoutes = List.of();

    private AgentRoutes() {
    }

    /** Replaces the test routes ({@code PATTERN->ACTION} texts, checked by the caller); empty clears them. */
    public static void setTestRoutes(List<String> routes) {
        testRoutes = List.copyOf(routes);
    }

    public static List<String> testRoutes() {
        return testRoutes;
    }
}
