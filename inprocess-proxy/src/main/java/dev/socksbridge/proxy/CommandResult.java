package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;

/** What a command came to: the half the session thread runs next, or a refusal for the session to answer. */
sealed interface CommandResult {

    /** The command answered its success and started the other half; the session thread runs {@code half}. */
    record Relay(Direction half) implements CommandResult {
    }

    /** The command cannot go on: the session answers {@code code} and records {@code reason} and {@code outcome}. */
    record Refuse(ReplyCode code, String reason, Outcome outcome) implements CommandResult {
        Refuse(ReplyCode code, String reason) {
            this(code, reason, ReplyCodes.outcomeOf(code));
        }
    }
}
