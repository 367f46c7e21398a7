package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionEvent;
import dev.socksbridge.proxy.EventJson;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Consumer;

/**
 * With the agent loaded: subscribes to its recordings through
 * {@code dev.socksbridge.agent.bootstrap.AgentEvents}, a class the agent puts on the boot class path
 * (so it is looked up in the bootstrap loader only: an agent jar that is merely on the class path does
 * not count). The agent already routes and tags every connection; no second server is started. Each
 * recording is a map of {@link EventJson} keys, read back with {@link EventJson#fromMap}.
 */
final class AgentCapture implements Capture.Source {

    static final String EVENTS_CLASS = "dev.socksbridge.agent.bootstrap.AgentEvents";
    static final String FAULTS_CLASS = "dev.socksbridge.agent.bootstrap.AgentFaults";

    private final Method unsubscribe;
    private final Consumer<Map<String, Object>> subscriber;

    private AgentCapture(Method unsubscribe, Consumer<Map<String, Object>> subscriber) {
        this.unsubscribe = unsubscribe;
        this.subscriber = subscriber;
    }

    /** Subscribes when the agent is loaded; {@code null} when it is not (the caller starts its own server). */
    static AgentCapture tryStart(ConnectionRecorder recorder) {
        Class<?> events;
        try {
            events = Class.forName(EVENTS_CLASS, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
        Consumer<Map<String, Object>> subscriber = event -> deliver(recorder, event);
        try {
            if (!Boolean.TRUE.equals(events.getMethod("isRunning").invoke(null))) {
                return null; // loaded, but it did not start (on-error=warn): record with our own server
            }
            Method subscribe = events.getMethod("subscribe", Consumer.class);
            Method unsubscribe = events.getMethod("unsubscribe", Consumer.class);
            subscribe.invoke(null, subscriber);
            return new AgentCapture(unsubscribe, subscriber);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("@Socksbridge: the loaded socksbridge agent lacks " + EVENTS_CLASS
                    + ".isRunning(), subscribe(Consumer) or unsubscribe(Consumer): use the same version of the agent"
                    + " and socksbridge-junit", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("@Socksbridge: subscribing to the agent's recordings failed", e.getCause());
        }
    }

    private static void deliver(ConnectionRecorder recorder, Map<String, Object> map) {
        ConnectionEvent event = EventJson.fromMap(map);
        RecordedConnection connection = toConnection(event);
        if (connection.isOpen()) {
            recorder.opened(keyOf(event), connection, null);
        } else {
            recorder.closed(keyOf(event), connection, null);
        }
    }

    /** The key that joins the open and close of one connection: the session id, else the agent's id. */
    static long keyOf(ConnectionEvent event) {
        // Direct connections have no session and arrive once; keep them apart from session ids.
        return event.session() != null ? event.session() : -1 - event.id();
    }

    static RecordedConnection toConnection(ConnectionEvent event) {
        return RecordedConnection.of(event, event.destination(), CallSite.of(event.caller()));
    }

    @Override
    public String describe() {
        return "the socksbridge agent's recordings";
    }

    /** Through the agent's {@code AgentFaults}: the agent's own table, so every connection it routes is faulted. */
    @Override
    public Object addFault(String spec) {
        return invokeFaults("add", String.class, spec);
    }

    @Override
    public void removeFault(Object token) {
        invokeFaults("remove", Object.class, token);
    }

    private static Object invokeFaults(String name, Class<?> parameter, Object argument) {
        try {
            return Class.forName(FAULTS_CLASS, false, null).getMethod(name, parameter).invoke(null, argument);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure; // a malformed spec: the message names it
            }
            throw new IllegalStateException("@Fault: the agent's " + name + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("@Fault: the loaded socksbridge agent lacks " + FAULTS_CLASS + "." + name
                    + ": use the same version of the agent and socksbridge-junit", e);
        }
    }

    @Override
    public void close() {
        try {
            unsubscribe.invoke(null, subscriber);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("@Socksbridge: unsubscribing from the agent's recordings failed", e);
        }
    }
}
