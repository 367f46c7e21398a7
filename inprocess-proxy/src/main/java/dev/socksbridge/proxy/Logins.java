package dev.socksbridge.proxy;

import dev.socksbridge.proxy.spi.Extensions;
import java.util.function.Supplier;

/**
 * The one place a user name and password are checked, for RFC 1929 and HTTP Basic alike: by the
 * configured {@link Credentials}, or admitted unverified when {@link Extensions#passwordlessLogins} is
 * on and the password is empty. The password goes no further than this check.
 */
final class Logins {

    private final Credentials credentials;
    private final boolean passwordless;

    /** @param credentials null for a server without authentication */
    Logins(Credentials credentials, boolean passwordless) {
        this.credentials = credentials;
        this.passwordless = passwordless;
    }

    boolean required() {
        return credentials != null;
    }

    /**
     * Returns whether the password was verified (false: admitted without, as a passwordless login);
     * throws {@code refusal} when the login is refused.
     */
    boolean check(String user, byte[] password, Supplier<AuthenticationFailedException> refusal)
            throws AuthenticationFailedException {
        if (credentials.verify(user, password)) {
            return true;
        }
        if (passwordless && password.length == 0) {
            return false;
        }
        throw refusal.get();
    }
}
