package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.bootstrap.CallerTag;
import dev.socksbridge.agent.report.Reporter;
import dev.socksbridge.proxy.Command;
import dev.socksbridge.proxy.ConnectionRequest;
import dev.socksbridge.proxy.Credentials;
import dev.socksbridge.proxy.Destination;
import dev.socksbridge.proxy.Protocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentPolicyTest {

    private static final InetSocketAddress PROXY = new InetSocketAddress("127.0.0.1", 40000);
    private static final CallerTag TAG = new CallerTag("a.B", "c", "B.java", 1, "main", false, "api.example.com", 443,
            0, 0);

    private final Reporter reporter = new Reporter(null);

    private AgentPolicy policy(String options, CallerRegistry registry) {
        AgentOptions parsed = AgentOptions.parse(options);
        AccessRules rules = AccessRules.of(parsed.allow(), parsed.deny());
        return new AgentPolicy(registry, reporter, rules, parsed);
    }

    private CallerRegistry registry() {
        CallerRegistry registry = new CallerRegistry(reporter, AccessRules.of(List.of(), List.of()));
        registry.proxyAddress(PROXY);
        return registry;
    }

    private static ConnectionRequest request(String clientIp, int clientPort, String host) {
        return new ConnectionRequest(1, new InetSocketAddress(clientIp, clientPort), Protocol.SOCKS5, Command.CONNECT,
                new Destination(host, 443));
    }

    @Test
    void admitsOnlySocketsTheHooksRegisteredAndEachOnlyOnce() {
        CallerRegistry registry = registry();
        AgentPolicy policy = policy("", registry);
        registry.viaProxy(50001, TAG);
        assertFalse(policy.permits(request("127.0.0.1", 50002, "93.184.216.34")), "unregistered port");
        assertFalse(policy.permits(request("127.0.0.2", 50001, "93.184.216.34")), "registered port, other address");
        assertTrue(policy.permits(request("127.0.0.1", 50001, "93.184.216.34")));
        assertFalse(policy.permits(request("127.0.0.1", 50001, "93.184.216.34")), "a tag is used once");
    }

    @Test
    void acceptExternalAdmitsAnyClient() {
        assertTrue(policy("accept-external=true", registry()).permits(request("127.0.0.1", 50002, "example.org")));
    }

    @Test
    void rulesSeeTheHostNameTheAppUsedEvenWhenTheJdkSentAnAddress() {
        CallerRegistry registry = registry();
        registry.viaProxy(50001, TAG);
        AgentPolicy enforce = policy("mode=enforce,deny=*.example.com", registry);
        assertFalse(enforce.permits(request("127.0.0.1", 50001, "93.184.216.34")));

        registry.viaProxy(50003, TAG);
        AgentPolicy monitor = policy("deny=*.example.com", registry);
        assertTrue(monitor.permits(request("127.0.0.1", 50003, "93.184.216.34")), "monitor mode only records");
    }

    @Test
    void withCredentialsOutsidersNeedThePasswordWhileTheJvmsOwnSocketsNeedTheirPort() {
        CallerRegistry registry = registry();
        AgentPolicy policy = policy("accept-external=true,user=alice,password=pa55", registry);
        Credentials credentials = AgentPolicy.credentials("alice", "pa55");

        assertFalse(credentials.verify("alice", bytes("guess")));
        assertTrue(credentials.verify("alice", bytes("pa55")));
        assertTrue(policy.permits(request("127.0.0.1", 50002, "example.org")), "right password");

        // the JDK's own SOCKS client sends user.name and an empty password
        assertTrue(credentials.verify("someone", new byte[0]));
        assertFalse(policy.permits(request("127.0.0.1", 50004, "example.org")), "empty password, unregistered");
        registry.viaProxy(50005, TAG);
        assertTrue(credentials.verify("someone", new byte[0]));
        assertTrue(policy.permits(request("127.0.0.1", 50005, "example.org")), "empty password, registered");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
