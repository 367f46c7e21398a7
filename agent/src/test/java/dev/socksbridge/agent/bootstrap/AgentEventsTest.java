package dev.socksbridge.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AgentEventsTest {

    @Test
    void aFailingSubscriberKeepsTheEventFromNoOtherAndItsFailureIsRethrownAfterwards() {
        List<Map<String, Object>> received = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        Consumer<Map<String, Object>> failing = event -> {
            throw boom;
        };
        Consumer<Map<String, Object>> recording = received::add;
        AgentEvents.subscribe(failing);
        AgentEvents.subscribe(recording);
        try {
            assertTrue(AgentEvents.hasSubscribers());
            Map<String, Object> event = Map.of("id", 1L);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> AgentEvents.publish(event)));
            assertEquals(List.of(event), received);
        } finally {
            AgentEvents.unsubscribe(failing);
            AgentEvents.unsubscribe(recording);
        }
        assertFalse(AgentEvents.hasSubscribers());
        AgentEvents.publish(Map.of("id", 2L));
        assertEquals(1, received.size(), "an unsubscribed consumer gets nothing more");
    }
}
