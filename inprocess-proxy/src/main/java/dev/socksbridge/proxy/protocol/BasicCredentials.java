package dev.socksbridge.proxy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * The user and password of a {@code Proxy-Authorization: Basic base64(user:password)} header (RFC 7617).
 * {@link #toString()} never shows the password.
 */
public final class BasicCredentials {

    private final String username;
    private final byte[] password;

    private BasicCredentials(String username, byte[] password) {
        this.username = username;
        this.password = password;
    }

    /** The credentials in a header value, or null when it is absent, not Basic, or not valid base64 user:pass. */
    public static BasicCredentials parse(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        String value = headerValue.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(space + 1).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = -1;
        for (int i = 0; i < decoded.length && colon < 0; i++) {
            if (decoded[i] == ':') {
                colon = i;
            }
        }
        if (colon < 0) {
            return null;
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, (byte) 0);
        return new BasicCredentials(user, password);
    }

    public String username() {
        return username;
    }

    /** A copy of the raw password bytes (UTF-8 as the client sent them). */
    public byte[] password() {
        return password.clone();
    }

    @Override
    public String toString() {
        return "BasicCredentials[username=" + username + ", password=***]";
    }
}
