package dev.socksbridge.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.socksbridge.proxy.protocol.ReplyCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ReplyCodesTest {

    @Test
    void dialFailuresMapByExceptionType() {
        assertEquals(ReplyCode.NOT_ALLOWED, ReplyCodes.forDialFailure(new ConnectionDeniedException("no")));
        assertEquals(ReplyCode.HOST_UNREACHABLE, ReplyCodes.forDialFailure(new UnknownHostException("x.invalid")));
        assertEquals(ReplyCode.HOST_UNREACHABLE, ReplyCodes.forDialFailure(new NoRouteToHostException()));
        assertEquals(ReplyCode.CONNECTION_REFUSED, ReplyCodes.forDialFailure(new ConnectException()));
        assertEquals(ReplyCode.TTL_EXPIRED, ReplyCodes.forDialFailure(new SocketTimeoutException()));
        assertEquals(ReplyCode.GENERAL_FAILURE, ReplyCodes.forDialFailure(new SocketException()));
        assertEquals(ReplyCode.GENERAL_FAILURE, ReplyCodes.forDialFailure(new IllegalStateException()));
    }

    @Test
    void subclassesCountAndMessageTextDoesNot() {
        class PoliteRefusal extends ConnectException {
        }
        assertEquals(ReplyCode.CONNECTION_REFUSED, ReplyCodes.forDialFailure(new PoliteRefusal()));
        assertEquals(ReplyCode.GENERAL_FAILURE, ReplyCodes.forDialFailure(new IOException("Connection refused")));
        assertEquals(ReplyCode.GENERAL_FAILURE, ReplyCodes.forDialFailure(new SocketException("connect timed out")));
    }

    @Test
    void everyReplyCodeHasAnOutcome() {
        assertEquals(Outcome.OK, ReplyCodes.outcomeOf(ReplyCode.SUCCEEDED));
        assertEquals(Outcome.FAILED, ReplyCodes.outcomeOf(ReplyCode.GENERAL_FAILURE));
        assertEquals(Outcome.DENIED, ReplyCodes.outcomeOf(ReplyCode.NOT_ALLOWED));
        assertEquals(Outcome.NETWORK_UNREACHABLE, ReplyCodes.outcomeOf(ReplyCode.NETWORK_UNREACHABLE));
        assertEquals(Outcome.HOST_UNREACHABLE, ReplyCodes.outcomeOf(ReplyCode.HOST_UNREACHABLE));
        assertEquals(Outcome.REFUSED, ReplyCodes.outcomeOf(ReplyCode.CONNECTION_REFUSED));
        assertEquals(Outcome.TIMEOUT, ReplyCodes.outcomeOf(ReplyCode.TTL_EXPIRED));
        assertEquals(Outcome.UNSUPPORTED, ReplyCodes.outcomeOf(ReplyCode.COMMAND_NOT_SUPPORTED));
        assertEquals(Outcome.UNSUPPORTED, ReplyCodes.outcomeOf(ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED));
    }
}
