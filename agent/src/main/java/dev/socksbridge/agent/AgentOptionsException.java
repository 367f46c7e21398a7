package dev.socksbridge.agent;

/** A bad agent option; the message is one line naming the key and what was expected. */
public final class AgentOptionsException extends IllegalArgumentException {

    public AgentOptionsException(String message) {
        super(message);
    }
}
