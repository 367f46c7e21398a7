package dev.socksbridge.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** Checks RFC 1929 username/password pairs. Implementations must never log the password. */
@FunctionalInterface
public interface Credentials {

    /** @param password the raw bytes the client sent; compare them in constant time */
    boolean verify(String username, byte[] password);

    /** A single user; both name and password are compared in constant time. */
    static Credentials of(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        byte[] expectedUser = username.getBytes(StandardCharsets.UTF_8);
        byte[] expectedPassword = password.getBytes(StandardCharsets.UTF_8);
        return (user, pass) -> {
            // Evaluate both comparisons so timing does not reveal which one failed.
            boolean userOk = MessageDigest.isEqual(expectedUser, user.getBytes(StandardCharsets.UTF_8));
            boolean passOk = MessageDigest.isEqual(expectedPassword, pass);
            return userOk & passOk;
        };
    }
}
