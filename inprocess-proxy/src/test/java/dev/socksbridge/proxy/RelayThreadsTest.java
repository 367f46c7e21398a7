package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Virtual threads where the JVM has them (21+), daemon platform threads on 17. */
class RelayThreadsTest {

    static boolean jvmHasVirtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    static boolean isVirtual(Thread thread) throws Exception {
        if (!jvmHasVirtualThreads()) {
            return false;
        }
        Method isVirtual = Thread.class.getMethod("isVirtual");
        return (boolean) isVirtual.invoke(thread);
    }

    @Test
    void factoryMakesVirtualThreadsExactlyWhenTheJvmHasThem() throws Exception {
        assertEquals(jvmHasVirtualThreads(), RelayThreads.virtualThreadsAvailable(), "JDK " + Runtime.version());
        Thread thread = RelayThreads.factory("test-relay-").newThread(() -> { });
        assertEquals(jvmHasVirtualThreads(), isVirtual(thread), "JDK " + Runtime.version());
        assertTrue(thread.isDaemon(), "relay threads must never keep the JVM alive");
        assertTrue(thread.getName().startsWith("test-relay-"), thread.getName());
    }

    @Test
    void threadsAreNumbered() {
        var factory = RelayThreads.factory("n-");
        assertEquals("n-0", factory.newThread(() -> { }).getName());
        assertEquals("n-1", factory.newThread(() -> { }).getName());
    }
}
