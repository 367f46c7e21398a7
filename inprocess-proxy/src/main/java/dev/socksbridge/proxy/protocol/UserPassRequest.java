package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * RFC 1929 username/password request.
 * <pre>
 * +----+------+----------+------+----------+
 * |VER | ULEN |  UNAME   | PLEN |  PASSWD  |
 * +----+------+----------+------+----------+
 * | 01 |  1   | 1 to 255 |  1   | 1 to 255 |
 * +----+------+----------+------+----------+
 * </pre>
 * Zero lengths are accepted although the RFC says 1-255: the JDK's client sends PLEN 0 when it has no
 * password, and the {@code Credentials} decide. {@link #toString()} never shows the password.
 */
public final class UserPassRequest {

    private final byte[] username;
    private final byte[] password;

    /** @param username 0-255 bytes in UTF-8; @param password 0-255 bytes */
    public UserPassRequest(String username, byte[] password) {
        this(Objects.requireNonNull(username, "username").getBytes(StandardCharsets.UTF_8),
                Objects.requireNonNull(password, "password").clone());
    }

    private UserPassRequest(byte[] username, byte[] password) {
        Wire.requireRange("username length", username.length, 0, 255);
        Wire.requireRange("password length", password.length, 0, 255);
        this.username = username;
        this.password = password;
    }

    /** A wrong sub-negotiation version is answered with a failure status, then close. */
    public static UserPassRequest decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "auth version");
        if (version != Wire.USERPASS_VERSION) {
            throw ProtocolException.authFailure("auth version: " + Wire.hex(version) + " (expected: 0x01)");
        }
        byte[] user = Wire.readBytes(in, Wire.readByte(in, "username length"), "username");
        byte[] pass = Wire.readBytes(in, Wire.readByte(in, "password length"), "password");
        return new UserPassRequest(user, pass);
    }

    public String username() {
        return new String(username, StandardCharsets.UTF_8);
    }

    /** A copy of the raw password bytes. */
    public byte[] password() {
        return password.clone();
    }

    public byte[] encode() {
        byte[] out = new byte[3 + username.length + password.length];
        out[0] = Wire.USERPASS_VERSION;
        out[1] = (byte) username.length;
        System.arraycopy(username, 0, out, 2, username.length);
        out[2 + username.length] = (byte) password.length;
        System.arraycopy(password, 0, out, 3 + username.length, password.length);
        return out;
    }

    @Override
    public String toString() {
        return "UserPassRequest[username=" + username() + ", password=***]";
    }
}
