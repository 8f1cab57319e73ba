package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts raw request bodies to /rpc and reads the raw answers, so tests see exactly what a caller would. */
public final class RpcTestClient {
    public record Answer(int status, String body, JsonNode json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI rpc;
    private final String token;

    public RpcTestClient(URI server, String token) {
        this.rpc = server.resolve("/rpc");
        this.token = token;
    }

    public Answer post(String body) throws IOException, InterruptedException {
        return post(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Answer post(byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(rpc).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), r.body(), json);
    }

    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
