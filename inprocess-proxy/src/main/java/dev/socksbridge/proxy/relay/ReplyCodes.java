package dev.socksbridge.proxy.relay;

import dev.socksbridge.proxy.ConnectionDeniedException;
import dev.socksbridge.proxy.Outcome;
import dev.socksbridge.proxy.protocol.ReplyCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** Reply codes and outcomes chosen by exception type, never by message text. */
public final class ReplyCodes {

    private ReplyCodes() {
    }

    /** The reply for a failed dial (see {@link dev.socksbridge.proxy.Dialer}). */
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
}
