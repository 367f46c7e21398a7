package dev.socksbridge.proxy.it.child;

import dev.socksbridge.proxy.it.support.LocalHttpsServer;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java.net.http.HttpClient} built with {@code ProxySelector.of(proxy)}: it reaches an https URL
 * through the proxy with {@code CONNECT}. Run in this JVM by the ITs, and as a child JVM's main when a
 * JVM-wide property must be set at start-up ({@code jdk.http.auth.tunneling.disabledSchemes}).
 */
public final class HttpsThroughProxy {

    private HttpsThroughProxy() {
    }

    /** Returns {@code "status=N body=..."}, or throws what the client threw. */
    public static String get(int proxyPort, URI uri, Path trustStore, String user, String password) throws Exception {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
                .sslContext(LocalHttpsServer.clientContext(trustStore))
                .connectTimeout(Duration.ofSeconds(30));
        if (user != null) {
            builder.authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY
                            ? new PasswordAuthentication(user, password.toCharArray()) : null;
                }
            });
        }
        HttpClient client = builder.build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body(); // null when the proxy refused the tunnel (407, 403)
        return "status=" + response.statusCode() + " body=" + (body == null ? "" : body.strip());
    }

    /** args: proxyPort uri trustStore [user password]; prints the result line, or {@code error=...} and exits 1. */
    public static void main(String[] args) {
        try {
            System.out.println(get(Integer.parseInt(args[0]), URI.create(args[1]), Path.of(args[2]),
                    args.length > 3 ? args[3] : null, args.length > 4 ? args[4] : null));
        } catch (Exception e) {
            System.out.println("error=" + e);
            System.exit(1);
        }
    }
}
