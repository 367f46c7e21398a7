package dev.socksbridge.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * RFC 1929 reply: STATUS 0x00 is success, anything else is failure and the server closes.
 * <pre>
 * +----+--------+
 * |VER | STATUS |
 * +----+--------+
 * | 01 |   1    |
 * +----+--------+
 * </pre>
 */
public final class UserPassReply {

    public static final UserPassReply SUCCESS = new UserPassReply(0x00);
    public static final UserPassReply FAILURE = new UserPassReply(0x01);

    private final int status;

    /** @param status 0-255 */
    public UserPassReply(int status) {
        Wire.requireRange("status", status, 0, 255);
        this.status = status;
    }

    public static UserPassReply decode(InputStream in) throws IOException {
        int version = Wire.readByte(in, "auth version");
        if (version != Wire.USERPASS_VERSION) {
            throw ProtocolException.closeOnly("auth version: " + Wire.hex(version) + " (expected: 0x01)");
        }
        return new UserPassReply(Wire.readByte(in, "status"));
    }

    public int status() {
        return status;
    }

    public boolean isSuccess() {
        return status == 0;
    }

    public byte[] encode() {
        return new byte[] {Wire.USERPASS_VERSION, (byte) status};
    }

    @Override
    public String toString() {
        return "UserPassReply[status=" + Wire.hex(status) + "]";
    }
}
