package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Connects to a server on 127.0.0.1, which the allow list names: passes with or without the agent. */
class AllowedCallTest {

    @Test
    void callsAnAllowedDestination() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 20_000);
            client.getOutputStream().write(42);
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(20_000);
                assertEquals(42, accepted.getInputStream().read());
            }
        }
    }
}
