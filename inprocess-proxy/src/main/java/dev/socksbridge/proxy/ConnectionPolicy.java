package dev.socksbridge.proxy;

import dev.socksbridge.proxy.ConnectionEvent.Verdict;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides whether a request may proceed, from its context alone (destination, client, user and whether
 * it authenticated, an extension's tag): a pure decision, with no side effect, so the server may ask it
 * on any of the session's threads (once per request, or once per datagram of a UDP association). The
 * session records the {@link Decision} on its {@link ConnectionEvent} ({@code policy}, and the reason in
 * {@code failure}). A denial is answered with the protocol's "not allowed" reply (SOCKS5 REP 0x02) and
 * reported with {@link Outcome#DENIED}; a would-deny proceeds. Asked before any name resolution or
 * outbound connect; it must be fast and thread-safe, and one that throws (or returns null) denies.
 */
@FunctionalInterface
public interface ConnectionPolicy {

    Decision decide(ConnectionRequest request);

    static ConnectionPolicy allowAll() {
        return request -> Decision.ALLOW;
    }

    /** Allows what {@code allowed} accepts and denies the rest, without a reason. */
    static ConnectionPolicy allowIf(Predicate<ConnectionRequest> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        return request -> allowed.test(request) ? Decision.ALLOW : Decision.deny(null);
    }

    /**
     * A verdict and, unless allowed, why ({@code no allow rule for com.acme.Reports -> api.example:443}),
     * or {@code null} when the policy gives no reason.
     */
    record Decision(Verdict verdict, String reason) {

        public static final Decision ALLOW = new Decision(Verdict.ALLOWED, null);

        public Decision {
            Objects.requireNonNull(verdict, "verdict");
        }

        /** Refused: the client gets "not allowed". */
        public static Decision deny(String reason) {
            return new Decision(Verdict.DENIED, reason);
        }

        /** Would be refused in enforce mode: it proceeds, and its event says so. */
        public static Decision wouldDeny(String reason) {
            return new Decision(Verdict.WOULD_DENY, reason);
        }

        public boolean refuses() {
            return verdict == Verdict.DENIED;
        }

        /**
         * The connection's {@code failure} with the reason: a denial's reason replaces it (the session only
         * knows "denied by policy"); a would-deny's is added to whatever else went wrong.
         */
        public String explain(String failure) {
            if (reason == null || verdict == Verdict.ALLOWED) {
                return failure;
            }
            return verdict == Verdict.DENIED || failure == null ? reason : failure + "; " + reason;
        }
    }
}
