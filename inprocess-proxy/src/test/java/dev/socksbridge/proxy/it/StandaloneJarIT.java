package dev.socksbridge.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.proxy.it.support.LoopbackServer;
import dev.socksbridge.proxy.it.support.RawSocksClient;
import dev.socksbridge.proxy.it.support.StandaloneProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The standalone jar as a process: its exit codes and what it writes for bad input. */
@Timeout(120)
class StandaloneJarIT {

    @Test
    void sigtermStopsTheProxyCleanly() throws Exception {
        StandaloneProxy proxy = StandaloneProxy.start();
        try (RawSocksClient client = RawSocksClient.connect(proxy.address())) {
            client.send(new byte[] {0x05, 0x01, 0x00});
            client.expect(0x05, 0x00);
        } finally {
            proxy.close();
        }
        // 143 = 128 + SIGTERM: how a JVM reports an exit its shutdown hooks completed after the signal.
        assertTrue(proxy.exitValue() == 0 || proxy.exitValue() == 143, () -> "exit code " + proxy.exitValue()
                + " (expected 0 or 143); output: " + proxy.output());
        assertTrue(proxy.output().stream().noneMatch(line -> line.contains("Exception")), () -> "output: " + proxy.output());
    }

    @Test
    void badOptionExitsWithCodeTwoNamingTheOption() throws Exception {
        StandaloneProxy.Exited run = StandaloneProxy.runToExit("--port", "70000");
        assertEquals(2, run.exitCode(), () -> "stderr: " + run.stderr());
        assertTrue(run.stderr().contains("--port"), () -> "stderr names the option: " + run.stderr());
    }

    @Test
    void malformedInputIsNotLoggedAsAWarningOrStackTrace() throws Exception {
        try (StandaloneProxy proxy = StandaloneProxy.start();
             LoopbackServer echo = LoopbackServer.echo()) {
            try (RawSocksClient client = RawSocksClient.connect(proxy.address())) {
                // A request with version 4 after a valid greeting: no reply exists for it, just a close.
                client.send(new byte[] {0x05, 0x01, 0x00, 0x04, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0, 80});
                client.expect(0x05, 0x00);
                client.assertClosedByServer();
            }
            try (RawSocksClient client = RawSocksClient.relayTo(proxy.address(), echo.address())) {
                client.assertEchoes("a good session after a bad one");
            }
            // The good session's INFO line shows the log is being read; malformed input is DEBUG only.
            proxy.awaitLineContaining("CONNECT 127.0.0.1:" + echo.port() + " ", " ok ");
            assertTrue(proxy.output().stream().noneMatch(line -> line.contains("WARN") || line.startsWith("\tat ")
                    || line.contains("protocol-error")), () -> "output: " + proxy.output());
        }
    }
}
