package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.AgentRoutes;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.route.Route;
import dev.socksbridge.proxy.RouteAction;
import dev.socksbridge.proxy.route.RouteTable;
import dev.socksbridge.proxy.Router;
import java.util.List;

/**
 * The agent's routes: those a test set through {@link AgentRoutes} first (the JUnit extension's
 * {@code @Route}s), then the {@code route=} options. The test routes are parsed once per change.
 */
final class AgentRouter implements Router {

    private final RouteTable configured;
    private volatile Parsed testRoutes = new Parsed(List.of(), RouteTable.EMPTY);

    AgentRouter(RouteTable configured) {
        this.configured = configured;
    }

    @Override
    public RouteAction route(ConnectionRequest request) {
        Route forTest = testTable().match(request.destination());
        return forTest != null ? forTest.action() : configured.route(request);
    }

    private RouteTable testTable() {
        List<String> current = AgentRoutes.testRoutes();
        Parsed parsed = testRoutes;
        if (parsed.texts != current) { // identity: a new list is set on every change
            RouteTable table;
            try {
                table = RouteTable.parse("@Route", current);
            } catch (IllegalArgumentException e) {
                table = RouteTable.EMPTY; // the extension checked them already; never fail the app's connect here
            }
            parsed = new Parsed(current, table);
            testRoutes = parsed;
        }
        return parsed.table;
    }

    private record Parsed(List<String> texts, RouteTable table) {
    }
}
