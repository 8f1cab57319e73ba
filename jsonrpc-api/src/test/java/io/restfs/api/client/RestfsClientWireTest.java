package io.restfs.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the client puts on the wire and how it reads answers, against a loopback HTTP server that records each request
 * and answers as a node would: JSON-RPC 2.0 requests with positional params and a bearer token; errors mapped to
 * {@link RestfsException} by code.
 */
class RestfsClientWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final AtomicReference<String> lastAuth = new AtomicReference<>();
    private volatile Function<JsonNode, String> answer = req -> "{}";
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/rpc", ex -> {
            JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
            lastRequest.set(req);
            lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = answer.apply(req).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private RestfsClient client() {
        return RestfsClient.connect(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "tok");
    }

    private static String result(JsonNode req, String resultJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":" + resultJson + "}";
    }

    @Test
    void sendsJsonRpcWithPositionalParamsAndBearerToken() {
        answer = req -> result(req, "{\"name\":\"b\",\"policy\":{\"k\":4,\"m\":2,\"segmentSize\":4194304,"
                + "\"compress\":true,\"encrypt\":true,\"allowDoubleUp\":false},\"createdMillis\":1,\"objectCount\":0,"
                + "\"storedBytes\":0}");
        var info = client().buckets().create("b", BucketPolicy.defaults());
        assertEquals(BucketPolicy.defaults(), info.policy());
        JsonNode req = lastRequest.get();
        assertEquals("2.0", req.get("jsonrpc").asText());
        assertEquals("bucket.create", req.get("method").asText());
        assertEquals("b", req.get("params").get(0).asText());
        assertEquals(4, req.get("params").get(1).get("k").asInt());
        assertTrue(req.get("id").isIntegralNumber());
        assertEquals("Bearer tok", lastAuth.get());
    }

    @Test
    void bytesTravelAsBase64AndNullsAsNull() {
        answer = req -> result(req, "\"aGVsbG8=\"");
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), client().objects().get("b", "/p", null));
        JsonNode params = lastRequest.get().get("params");
        assertEquals(3, params.size());
        assertTrue(params.get(2).isNull());
    }

    @Test
    void segmentPutSendsIndexBeforeBase64DataAndExpectedVersionLast() {
        answer = req -> result(req, "{\"bucket\":\"b\",\"path\":\"/p\",\"type\":\"FILE\",\"size\":5,\"mode\":420,"
                + "\"owner\":\"\",\"mtimeMillis\":1,\"version\":4,\"sha256\":\"\",\"segments\":2}");
        var info = client().segments().put("b", "/p", 1, "hello".getBytes(StandardCharsets.UTF_8), 3L);
        assertEquals(4, info.version());
        JsonNode req = lastRequest.get();
        assertEquals("segment.put", req.get("method").asText());
        JsonNode params = req.get("params");
        assertEquals(5, params.size());
        assertEquals(1, params.get(2).asInt());
        assertEquals("aGVsbG8=", params.get(3).asText());
        assertEquals(3, params.get(4).asLong());
    }

    @Test
    void errorsBecomeRestfsExceptionsWithTheirCode() {
        answer = req -> "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"error\":{\"code\":-32005,"
                + "\"message\":\"conflict\",\"data\":\"/p is at version 3\"}}";
        RestfsException e = assertThrows(RestfsException.class, () -> client().objects().put("b", "/p", new byte[1],
                2L));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("/p is at version 3", e.detail());
    }

    @Test
    void unknownErrorCodeIsInternal() {
        answer = req -> "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"error\":{\"code\":-31999,"
                + "\"message\":\"odd\"}}";
        assertEquals(ErrorCode.INTERNAL_ERROR, assertThrows(RestfsException.class,
                () -> client().cluster().status()).code());
    }

    @Test
    void unauthorizedStatusWithoutJsonIsUnauthorized() {
        status = 401;
        answer = req -> "go away";
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(RestfsException.class,
                () -> client().cluster().status()).code());
    }

    @Test
    void answerForAnotherIdIsRefused() {
        answer = req -> "{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":null}";
        RestfsException e = assertThrows(RestfsException.class, () -> client().buckets().delete("b"));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
        assertTrue(e.detail().contains("999999"), e.detail());
    }

    @Test
    void pathsArePercentEncodedExceptSlashes() {
        assertEquals("/a%20b/%C3%A9%3F%23%25/c", RestfsClient.encodePath("/a b/é?#%/c"));
    }

    @Test
    void refusesNonHttpNodeUrls() {
        assertThrows(IllegalArgumentException.class, () -> RestfsClient.connect(URI.create("ftp://x/"), "t"));
        assertThrows(IllegalArgumentException.class, () -> RestfsClient.connect(URI.create("localhost:8080"), "t"));
    }
}
