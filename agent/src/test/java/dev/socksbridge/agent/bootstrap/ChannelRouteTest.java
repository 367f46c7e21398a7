package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proxy's answer reaches a Netty epoll connect that does not wait for it: the listener runs once, on
 * the answering thread, before that thread goes on (to close its side of a failed connection).
 */
class ChannelRouteTest {

    private static ChannelRoute route() {
        InetSocketAddress destination = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
        CallerTag tag = new CallerTag(null, null, null, -1, "main", false, "h", 80, 0, 0);
        return new ChannelRoute(tag, destination, destination, 0);
    }

    @Test
    void aListenerRunsOnceWhenTheProxyAnswersAndSeesTheReply() {
        ChannelRoute route = route();
        List<Integer> seen = new ArrayList<>();
        assertTrue(route.whenAnswered(() -> seen.add(route.replyNow())));
        assertEquals(-1, route.replyNow(), "no answer yet");
        assertEquals(List.of(), seen);

        route.complete(6, new ConnectException("Connection timed out"));
        route.complete(0, null); // a second answer is ignored

        assertEquals(List.of(6), seen, "told once, during complete(), with the first answer");
        assertEquals(6, route.replyNow());
    }

    @Test
    void aListenerAddedAfterTheAnswerIsRefusedAndNeverRun() {
        ChannelRoute route = route();
        route.complete(0, null);
        List<Integer> seen = new ArrayList<>();

        assertFalse(route.whenAnswered(() -> seen.add(route.replyNow())), "the caller settles it itself");

        assertEquals(List.of(), seen);
        assertEquals(0, route.replyNow());
    }
}
