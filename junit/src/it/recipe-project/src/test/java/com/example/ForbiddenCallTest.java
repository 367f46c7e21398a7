package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * Connects to a server on 127.0.0.2, which the allow list does not name. Without the agent this test
 * passes; with the agent in enforce mode the connect is refused ("Connection not allowed by ruleset")
 * and the test fails: that is the point of this example.
 */
class ForbiddenCallTest {

    @Test
    void callsADestinationTheAllowListDoesNotName() throws IOException {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (ServerSocket server = new ServerSocket(0, 1, other);
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(other, server.getLocalPort()), 20_000);
            try (Socket accepted = server.accept()) {
                assertEquals(other, accepted.getLocalAddress());
            }
        }
    }
}
