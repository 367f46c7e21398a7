package dev.socksbridge.proxy.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's HTTPS server on 127.0.0.1 with a throw-away self-signed certificate (made once per JVM by
 * the JDK's keytool, for IP 127.0.0.1): {@code java.net.http.HttpClient} only tunnels through an HTTP
 * proxy with CONNECT for https (plain http goes as absolute-form requests), so this is its target.
 */
public final class LocalHttpsServer implements Closeable {

    public static final String STORE_PASSWORD = "changeit";
    private static Path keyStore;

    private final HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private LocalHttpsServer(HttpsServer server) {
        this.server = server;
    }

    public static LocalHttpsServer start() throws IOException, GeneralSecurityException, InterruptedException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        LocalHttpsServer local = new LocalHttpsServer(server);
        server.createContext("/", local::answer);
        server.start();
        return local;
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        byte[] bytes = body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        // One request per connection, so the tunnel (and its session) ends when the exchange does; the
        // client's keep-alive pool would otherwise hold it open past the test.
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static String body() {
        return "hello over tls\n";
    }

    public URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    /** The PKCS12 store (password {@link #STORE_PASSWORD}) holding the certificate, to trust it in a child JVM. */
    public static synchronized Path keyStore() throws IOException, InterruptedException {
        if (keyStore == null) {
            Path dir = Files.createTempDirectory("https-it");
            Path store = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            ExternalProcess.Result result = ExternalProcess.run(List.of(keytool, "-genkeypair", "-alias", "it",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                    "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD), null, Duration.ofMinutes(1));
            if (result.exitCode() != 0) {
                throw new IOException("keytool failed: " + result.describe());
            }
            store.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            keyStore = store;
        }
        return keyStore;
    }

    /** An SSLContext that trusts exactly the test certificate. */
    public static SSLContext clientContext(Path store) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(store));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static SSLContext serverContext() throws IOException, GeneralSecurityException, InterruptedException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore()), STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD.toCharArray());
        }
        return keyStore;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
