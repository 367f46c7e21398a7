package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionPolicy.Decision;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Protocol;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentPolicyTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);
    private static final CallerTag TAG = new CallerTag("a.B", "c", "B.java", 1, "main", false, "api.example.com", 443,
            0, 0);

    private final Reporter reporter = new Reporter(null);
    private final CallerRegistry registry = registry();

    private static AgentPolicy policy(String options) {
        AgentOptions parsed = AgentOptions.parse(options);
        return new AgentPolicy(AccessRules.of(parsed.allow(), parsed.deny()), parsed);
    }

    private CallerRegistry registry() {
        CallerRegistry registry = new CallerRegistry(reporter, AccessRules.of(List.of(), List.of()));
        registry.proxyAddress(PROXY, false);
        return registry;
    }

    /** The request context as the proxy builds it: the registry tags it by its client address. */
    private ConnectionRequest request(String clientIp, int clientPort, String host, boolean authenticated) {
        InetSocketAddress client = new InetSocketAddress(clientIp, clientPort);
        return new ConnectionRequest(1, client, Protocol.SOCKS5, Command.CONNECT, new Destination(host, 443),
                authenticated ? "alice" : null, authenticated, registry.tag(1, client));
    }

    private ConnectionRequest request(String clientIp, int clientPort, String host) {
        return request(clientIp, clientPort, host, false);
    }

    private static boolean permits(AgentPolicy policy, ConnectionRequest request) {
        return !policy.decide(request).refuses();
    }

    @Test
    void admitsOnlySocketsTheHooksRegisteredAndEachOnlyOnce() {
        AgentPolicy policy = policy("");
        registry.viaProxy(50001, TAG);
        assertFalse(permits(policy, request("127.0.0.1", 50002, "93.184.216.34")), "unregistered port");
        assertFalse(permits(policy, request("127.0.0.2", 50001, "93.184.216.34")), "registered port, other address");
        assertTrue(permits(policy, request("127.0.0.1", 50001, "93.184.216.34")));
        assertFalse(permits(policy, request("127.0.0.1", 50001, "93.184.216.34")), "a tag is used once");
    }

    @Test
    void acceptExternalAdmitsAnyClient() {
        assertTrue(permits(policy("accept-external=true"), request("127.0.0.1", 50002, "example.org")));
    }

    @Test
    void rulesSeeTheHostNameTheAppUsedEvenWhenTheJdkSentAnAddress() {
        registry.viaProxy(50001, TAG);
        AgentPolicy enforce = policy("mode=enforce,deny=*.example.com");
        assertFalse(permits(enforce, request("127.0.0.1", 50001, "93.184.216.34")));

        registry.viaProxy(50003, TAG);
        AgentPolicy monitor = policy("deny=*.example.com");
        ConnectionRequest monitored = request("127.0.0.1", 50003, "93.184.216.34");
        assertTrue(permits(monitor, monitored), "monitor mode only records");
        assertEquals(Verdict.WOULD_DENY, monitor.decide(monitored).verdict());
    }

    @Test
    void withCredentialsOutsidersMustHaveAuthenticatedWhileTheJvmsOwnSocketsNeedTheirPort() {
        AgentPolicy policy = policy("accept-external=true,user=alice,password=pa55");
        assertTrue(permits(policy, request("127.0.0.1", 50002, "example.org", true)), "right password");
        // the JDK's own SOCKS client sends user.name and an empty password: admitted, but not authenticated
        assertFalse(permits(policy, request("127.0.0.1", 50004, "example.org")), "not authenticated, unregistered");
        registry.viaProxy(50005, TAG);
        assertTrue(permits(policy, request("127.0.0.1", 50005, "example.org")), "not authenticated, registered");
    }

    @Test
    void theVerdictIsAFunctionOfTheRequestAlone() {
        AgentPolicy policy = policy("accept-external=true,mode=enforce,deny=example.org");
        ConnectionRequest request = request("127.0.0.1", 50002, "example.org");
        assertEquals(Verdict.DENIED, policy.decide(request).verdict());
        assertEquals(Verdict.DENIED, policy.decide(request).verdict(), "asking again changes nothing");
    }

    @Test
    void aCallerRuleAdmitsItsCallerAndTheRefusalOfAnotherNamesTheMissingRule() {
        AgentPolicy enforce = policy("mode=enforce,allow=a.** -> api.example.com:443");
        registry.viaProxy(50001, TAG);
        // the JDK sent the proxy the address; the rule and the reason use the name the app gave
        assertEquals(Decision.ALLOW, enforce.decide(request("127.0.0.1", 50001, "93.184.216.34")));
        registry.viaProxy(50002, new CallerTag("com.acme.Reports", "run", "Reports.java", 9, "main", false,
                "api.example.com", 443, 0, 0));
        assertEquals(Decision.deny("no allow rule for com.acme.Reports -> api.example.com:443"),
                enforce.decide(request("127.0.0.1", 50002, "93.184.216.34")));

        AgentPolicy monitor = policy("allow=a.** -> api.example.com:443");
        registry.viaProxy(50003, new CallerTag(null, null, null, -1, "main", false, "api.example.com", 443, 0, 0));
        assertEquals(Decision.wouldDeny("no allow rule for unknown -> api.example.com:443"),
                monitor.decide(request("127.0.0.1", 50003, "93.184.216.34")));
    }

    @Test
    void anExternalClientIsCoveredOnlyByRulesWithoutCaller() {
        AgentPolicy policy = policy("accept-external=true,mode=enforce,allow=a.** -> example.org|other.example");
        assertEquals(Decision.deny("no allow rule for external -> example.org:443"),
                policy.decide(request("127.0.0.1", 50002, "example.org")));
        assertEquals(Decision.ALLOW, policy.decide(request("127.0.0.1", 50002, "other.example")));
    }

    @Test
    void aDirectConnectionIsJudgedByTheSameRules() {
        List<java.util.Map<String, Object>> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<java.util.Map<String, Object>> subscriber = events::add;
        dev.socksbridge.agent.bootstrap.AgentEvents.subscribe(subscriber);
        try {
            AgentOptions options = AgentOptions.parse("mode=enforce,allow=a.** -> api.example.com:443");
            CallerRegistry direct = new CallerRegistry(reporter, AccessRules.of(options.allow(), options.deny()));
            direct.direct(TAG, null, null, 0);
            direct.direct(new CallerTag("com.acme.Reports", "run", "Reports.java", 9, "main", false, "api.example.com",
                    443, 0, 0), null, null, 0);
        } finally {
            dev.socksbridge.agent.bootstrap.AgentEvents.unsubscribe(subscriber);
        }
        assertEquals(2, events.size(), events.toString());
        assertEquals("allowed", events.get(0).get("policy"));
        assertEquals("would-deny", events.get(1).get("policy"), "a direct connection cannot be refused, only marked");
        assertEquals("no allow rule for com.acme.Reports -> api.example.com:443", events.get(1).get("failure"));
    }
}
