package dev.socksbridge.agent.bootstrap;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The agent's recordings for code running in the same JVM, such as the socksbridge JUnit extension.
 * Each connection arrives as a map with the keys of the {@code events=} JSON Lines, plus {@code session}
 * (the proxy session id, absent for {@code route=direct}): once with outcome {@code open} when the proxy
 * joins a session to its caller (before the app's connect returns), and once when it finished.
 *
 * <p>It lives in the bootstrap package, which is never relocated and is on the boot class path, so a
 * subscriber finds it with {@code Class.forName(AgentEvents.class.getName(), false, null)} whatever its
 * own class loader, and only when the agent jar really is loaded as an agent. Only JDK types cross.
 */
public final class AgentEvents {

    private static final List<Consumer<Map<String, Object>>> SUBSCRIBERS = new CopyOnWriteArrayList<>();
    private static volatile boolean running;

    private AgentEvents() {
    }

    /** Delivers every later connection to {@code subscriber}, on the thread that saw it; it must not block. */
    public static void subscribe(Consumer<Map<String, Object>> subscriber) {
        SUBSCRIBERS.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    public static void unsubscribe(Consumer<Map<String, Object>> subscriber) {
        SUBSCRIBERS.remove(subscriber);
    }

    /** True while the agent records (false if it failed to start under {@code on-error=warn}). */
    public static boolean isRunning() {
        return running;
    }

    public static void running(boolean value) {
        running = value;
    }

    public static boolean hasSubscribers() {
        return !SUBSCRIBERS.isEmpty();
    }

    /**
     * Hands {@code event} to every subscriber; one that throws does not keep it from the others.
     *
     * @throws RuntimeException the first subscriber failure, after all were called
     */
    public static void publish(Map<String, Object> event) {
        RuntimeException first = null;
        for (Consumer<Map<String, Object>> subscriber : SUBSCRIBERS) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
