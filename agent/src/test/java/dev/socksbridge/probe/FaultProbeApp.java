package dev.socksbridge.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An app whose dependency can be made slow or broken from outside: prints {@code READY pid=N}, then runs
 * one request per line read on standard input ({@code client URL TIMEOUT_MS}, client {@code http} for
 * {@code java.net.http.HttpClient} or {@code url} for {@code HttpURLConnection}) and prints
 * {@code RESULT#n ok status=200 ms=N} or {@code RESULT#n failed exception=TYPE message=... ms=N}: what an app's
 * own timeout handling sees. {@code quit} ends it.
 */
public final class FaultProbeApp {

    private FaultProbeApp() {
    }

    public static void main(String[] args) throws IOException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int count = 0;
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            String[] words = line.split(" ");
            long start = System.nanoTime();
            String result;
            try {
                int status = words[0].equals("http") ? httpClient(client, words[1], Integer.parseInt(words[2]))
                        : urlConnection(words[1], Integer.parseInt(words[2]));
                result = "ok status=" + status;
            } catch (IOException | InterruptedException e) {
                result = "failed exception=" + e.getClass().getName() + " message=" + e.getMessage();
            }
            System.out.println("RESULT#" + ++count + " " + result + " ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            System.out.flush();
        }
    }

    private static int httpClient(HttpClient client, String url, int timeoutMillis) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMillis)).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int urlConnection(String url, int timeoutMillis) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setReadTimeout(timeoutMillis);
        connection.setRequestProperty("Connection", "close");
        try (InputStream body = connection.getInputStream()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
