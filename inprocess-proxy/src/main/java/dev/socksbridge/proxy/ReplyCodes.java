package dev.socksbridge.proxy;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Reply codes and outcomes chosen by exception type, never by message text: the one mapping, used by the
 * server for its dials and by an in-process agent for the app's direct connects and redirected channels.
 */
public final class ReplyCodes {

    private ReplyCodes() {
    }

    /** The reply for a failed dial (see {@link Dialer}). */
    public static ReplyCode forDialFailure(Throwable failure) {
        if (failure instanceof ConnectionDeniedException) {
            return ReplyCode.NOT_ALLOWED;
        }
        if (failure instanceof UnknownHostException || failure instanceof NoRouteToHostException) {
            return ReplyCode.HOST_UNREACHABLE;
        }
        if (failure instanceof ConnectException) {
            return ReplyCode.CONNECTION_REFUSED;
        }
        if (failure instanceof SocketTimeoutException) {
            return ReplyCode.TTL_EXPIRED;
        }
        return ReplyCode.GENERAL_FAILURE;
    }

    /** How a session that was answered with {@code code} ended. */
    public static Outcome outcomeOf(ReplyCode code) {
        switch (code) {
            case SUCCEEDED: return Outcome.OK;
            case NOT_ALLOWED: return Outcome.DENIED;
            case NETWORK_UNREACHABLE: return Outcome.NETWORK_UNREACHABLE;
            case HOST_UNREACHABLE: return Outcome.HOST_UNREACHABLE;
            case CONNECTION_REFUSED: return Outcome.REFUSED;
            case TTL_EXPIRED: return Outcome.TIMEOUT;
            case COMMAND_NOT_SUPPORTED:
            case ADDRESS_TYPE_NOT_SUPPORTED:
                return Outcome.UNSUPPORTED;
            default: return Outcome.FAILED;
        }
    }

    /** How a connect that failed with {@code failure} (null: it succeeded) ended. */
    public static Outcome outcomeOf(Throwable failure) {
        return failure == null ? Outcome.OK : outcomeOf(forDialFailure(failure));
    }

    /**
     * The exception the JDK throws for a direct connect that fails the way {@code code} says (null for
     * success): what an agent's redirected channel shows its application.
     */
    public static IOException exceptionFor(ReplyCode code) {
        switch (code) {
            case SUCCEEDED: return null;
            case NOT_ALLOWED: return new ConnectException(
                    "Connection not allowed by ruleset (socksbridge policy, mode=enforce)");
            case NETWORK_UNREACHABLE: return new SocketException("Network is unreachable");
            case HOST_UNREACHABLE: return new NoRouteToHostException("No route to host");
            case CONNECTION_REFUSED: return new ConnectException("Connection refused");
            case TTL_EXPIRED: return new ConnectException("Connection timed out");
            default: return new ConnectException("Connection failed (socksbridge proxy reply " + code.code() + ")");
        }
    }
}
