package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Netty's sockets are equal when their descriptor numbers are, which the OS reuses: state must follow the object. */
class WeakIdentityMapTest {

    @Test
    void keysThatAreEqualButDistinctObjectsHaveTheirOwnValues() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        String closedSocket = new String("fd 42");
        String newSocketSameNumber = new String("fd 42");
        map.put(closedSocket, "route to the proxy");

        assertNull(map.get(newSocketSameNumber), "an equal key is not the same socket");
        assertEquals("route to the proxy", map.get(closedSocket));
        assertNull(map.remove(newSocketSameNumber));
        assertEquals("route to the proxy", map.remove(closedSocket));
        assertTrue(map.isEmpty());
    }
}
