package dev.socksbridge.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Property: for ANY input, every decoder either returns a message or throws {@link ProtocolException}
 * (never another exception, never a hang), and the answer a ProtocolException carries is itself a
 * well-formed message of the protocol. Inputs are random frames and mutations (byte changes,
 * truncation, insertion, deletion, extreme length bytes) of valid frames.
 *
 * <p>Seeded: a failure prints the seed and the frame; rerun with {@code -Dfuzz.seed=N} to reproduce.
 */
@Timeout(120)
class DecoderFuzzTest {

    private static final int CASES_PER_DECODER = 20_000;
    private static final long SEED = Long.getLong("fuzz.seed", 0x50C55B21D6EL);

    private interface Decoder {
        Object decode(InputStream in) throws IOException;
    }

    private record Target(String name, Decoder decoder, List<byte[]> validFrames) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("Greeting", Greeting::decode, frames("05 01 00", "05 02 00 02", "05 03 00 01 02")),
            new Target("MethodSelection", MethodSelection::decode, frames("05 00", "05 02", "05 ff")),
            new Target("UserPassRequest", UserPassRequest::decode, frames("01 05 616c696365 06 733363726574", "01 01 61 00")),
            new Target("UserPassReply", UserPassReply::decode, frames("01 00", "01 01")),
            new Target("CommandRequest", CommandRequest::decode, frames(
                    "05 01 00 01 7f000001 0050", "05 01 00 03 0b 6578616d706c652e636f6d 01bb",
                    "05 01 00 04 00000000000000000000000000000001 1f90", "05 02 00 01 00000000 0000")),
            new Target("CommandReply", CommandReply::decode, frames(
                    "05 00 00 01 7f000001 8001", "05 05 00 01 00000000 0000",
                    "05 00 00 04 00000000000000000000000000000001 ffff", "05 00 00 03 09 6c6f63616c686f7374 0001")),
            new Target("Socks4Request", Socks4Request::decode, frames(
                    "04 01 0050 7f000001 616c696365 00", "04 02 0015 00000001 00 6578616d706c652e636f6d 00")),
            new Target("UdpHeader", in -> {
                byte[] datagram = in.readAllBytes();
                return UdpHeader.decode(datagram, 0, datagram.length);
            }, frames("0000 00 01 7f000001 0035 6869", "0000 00 03 09 6c6f63616c686f7374 0035",
                    "0000 01 04 00000000000000000000000000000001 0035")),
            new Target("HttpRequestHead", in -> HttpRequestHead.decode(in, 1024).authority(), List.of(
                    text("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
                    text("CONNECT [::1]:8080 HTTP/1.1\r\nProxy-Authorization: Basic YTpi\r\n\r\nxyz"))),
            new Target("whole handshake", DecoderFuzzTest::decodeHandshake, frames(
                    "05 02 00 02  01 01 61 01 62  05 01 00 01 7f000001 0050",
                    "05 01 02  01 03 626f62 00  05 01 00 03 09 6c6f63616c686f7374 0016")));

    @TestFactory
    Stream<DynamicTest> everyDecoderEndsInAMessageOrAProtocolException() {
        return TARGETS.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzz(target)));
    }

    private static void fuzz(Target target) {
        SplittableRandom random = new SplittableRandom(SEED ^ target.name().hashCode());
        for (int i = 0; i < CASES_PER_DECODER; i++) {
            byte[] frame = i % 4 == 0 ? randomFrame(random) : mutate(random, pick(random, target.validFrames()));
            check(target, frame);
        }
    }

    private static void check(Target target, byte[] frame) {
        try {
            target.decoder().decode(new ByteArrayInputStream(frame));
        } catch (ProtocolException e) {
            assertWellFormedAnswer(e, frame);
        } catch (Throwable e) {
            fail(target.name() + " threw " + e + " for [" + Hex.of(frame) + "] (seed " + SEED + ")", e);
        }
    }

    /** The answer is a method selection, an RFC 1929 status, a command reply, a SOCKS4 rejection or an HTTP error, carrying replyCode. */
    private static void assertWellFormedAnswer(ProtocolException e, byte[] frame) {
        byte[] answer = e.response();
        String context = "answer [" + Hex.of(answer) + "] to [" + Hex.of(frame) + "]";
        if (answer.length == 0) {
            assertEquals(-1, e.replyCode(), context);
            return;
        }
        if (answer[0] == 'H') { // HTTP: a status line whose code is the replyCode
            String status = new String(answer, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(status.startsWith("HTTP/1.1 " + e.replyCode() + " ") && status.contains("\r\n\r\n"), context);
            return;
        }
        try {
            if (answer.length == 8 && answer[0] == 0x00) { // SOCKS4: VN 0, CD 0x5B
                assertEquals(Socks4Reply.REJECTED, Socks4Reply.decode(new ByteArrayInputStream(answer)).status(), context);
                assertEquals(Socks4Reply.REJECTED, e.replyCode(), context);
            } else if (answer.length == 2) {
                assertTrue(answer[0] == 0x05 || answer[0] == 0x01, context);
                assertEquals(-1, e.replyCode(), context);
            } else {
                CommandReply reply = CommandReply.decode(new ByteArrayInputStream(answer));
                assertEquals(e.replyCode(), reply.reply().code(), context);
                assertTrue(!reply.reply().isSuccess(), context);
            }
        } catch (IOException notAMessage) {
            fail(context + " is not a valid reply", notAMessage);
        }
    }

    private static Object decodeHandshake(InputStream in) throws IOException {
        Greeting greeting = Greeting.decode(in);
        if (greeting.offers(AuthMethod.USERNAME_PASSWORD)) {
            UserPassRequest.decode(in);
        }
        return CommandRequest.decode(in);
    }

    private static byte[] randomFrame(SplittableRandom random) {
        byte[] frame = new byte[random.nextInt(0, 600)];
        for (int i = 0; i < frame.length; i++) {
            // Bias towards the bytes that steer the decoders (versions, commands, address types, lengths).
            frame[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(0, 6) : (byte) random.nextInt(256);
        }
        return frame;
    }

    private static byte[] mutate(SplittableRandom random, byte[] valid) {
        byte[] frame = valid.clone();
        int mutations = random.nextInt(1, 4);
        for (int m = 0; m < mutations; m++) {
            int at = frame.length == 0 ? 0 : random.nextInt(frame.length);
            switch (random.nextInt(6)) {
                case 0: if (frame.length > 0) frame[at] = (byte) random.nextInt(256); break;
                case 1: frame = Arrays.copyOf(frame, random.nextInt(frame.length + 1)); break;
                case 2: frame = insert(frame, at, (byte) random.nextInt(256)); break;
                case 3: if (frame.length > 0) frame = delete(frame, at); break;
                case 4: if (frame.length > 0) frame[at] = (byte) (random.nextBoolean() ? 0x00 : 0xff); break;
                default: frame = Arrays.copyOf(frame, frame.length + random.nextInt(1, 300)); break;
            }
        }
        return frame;
    }

    private static byte[] insert(byte[] frame, int at, byte b) {
        byte[] out = new byte[frame.length + 1];
        System.arraycopy(frame, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(frame, at, out, at + 1, frame.length - at);
        return out;
    }

    private static byte[] delete(byte[] frame, int at) {
        byte[] out = new byte[frame.length - 1];
        System.arraycopy(frame, 0, out, 0, at);
        System.arraycopy(frame, at + 1, out, at, frame.length - at - 1);
        return out;
    }

    private static byte[] pick(SplittableRandom random, List<byte[]> frames) {
        return frames.get(random.nextInt(frames.size()));
    }

    private static byte[] text(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> frames(String... hex) {
        return Stream.of(hex).map(Hex::bytes).toList();
    }
}
