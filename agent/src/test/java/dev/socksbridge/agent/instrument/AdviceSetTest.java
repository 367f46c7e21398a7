package dev.socksbridge.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdviceSetTest {

    /** A hook added in one place only would leave a class unhooked, or a transform failing at start. */
    @Test
    void hooksExactlyTheJdkClassesTheTransformerMatches() {
        assertEquals(SocketInstrumentation.JDK_CLASSES, AdviceSet.get().hookedJdkClasses());
    }

    @Test
    void rewritesSocketConnectToCallTheHooks() throws Exception {
        byte[] original;
        try (InputStream in = Object.class.getResourceAsStream("/java/net/Socket.class")) {
            original = in.readAllBytes();
        }
        byte[] rewritten = AdviceSet.get().rewrite(AdviceSet.Target.JDK, null, "java/net/Socket", Socket.class, original);
        String constants = new String(rewritten, StandardCharsets.ISO_8859_1);
        assertTrue(constants.contains("socketConnectEnter") && constants.contains("socketConnectExit"),
                "Socket.connect calls the hooks");
        assertTrue(!new String(original, StandardCharsets.ISO_8859_1).contains("socketConnectEnter"));
    }

    @Test
    void aNameNoGroupHooksIsRefused() {
        assertThrows(IllegalStateException.class, () -> AdviceSet.get().rewrite(AdviceSet.Target.JDK, null,
                "java/net/ServerSocket", java.net.ServerSocket.class, new byte[0]));
    }
}
