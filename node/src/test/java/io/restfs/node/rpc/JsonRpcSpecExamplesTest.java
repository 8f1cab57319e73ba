package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON-RPC 2.0 specification's own examples (section 7, https://www.jsonrpc.org/specification#examples), sent
 * byte for byte to a service mounted like the real ones (RpcDispatcher behind RpcServlet, bearer token included).
 * Error messages are the server's own wording; codes, ids and results are the specification's.
 */
class JsonRpcSpecExamplesTest {
    @TempDir
    static Path dir;

    static TestHttpServer server;
    static RpcTestClient rpc;
    static SpecExamples.Service service = new SpecExamples.Service();

    @BeforeAll
    static void start() throws Exception {
        TokenStore tokens = TokenStore.open(dir);
        String token = tokens.create(Grant.adminGrant(), "spec");
        Map<String, AccessRule> rules = new HashMap<>();
        for (String m : List.of("subtract", "sum", "update", "notify_hello", "get_data")) {
            rules.put(m, new AccessRule.AnyToken());
        }
        RpcDispatcher d = new RpcDispatcher(List.of(RpcService.of("", SpecExamples.class, service)), rules,
                RpcJson.mapper(), "spec examples");
        server = TestHttpServer.start(dir, Map.of("/rpc", new RpcServlet(d, tokens, RpcJson.mapper())));
        rpc = new RpcTestClient(server.uri(), token);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void assertError(JsonNode response, int code, JsonNode id) {
        assertEquals("2.0", response.path("jsonrpc").asText(), response.toString());
        assertEquals(code, response.path("error").path("code").asInt(), response.toString());
        assertTrue(response.path("error").path("message").isTextual(), response.toString());
        assertEquals(id, response.get("id"), response.toString());
        assertTrue(!response.has("result"), response.toString());
    }

    @Test
    void positionalParams() throws Exception {
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}"),
                rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}").json());
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}"),
                rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}").json());
    }

    @Test
    void namedParams() throws Exception {
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}"),
                rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, "
                        + "\"minuend\": 42}, \"id\": 3}").json());
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}"),
                rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, "
                        + "\"subtrahend\": 23}, \"id\": 4}").json());
    }

    @Test
    void notificationsGetNoResponse() throws Exception {
        int before = service.notifications.get();
        RpcTestClient.Answer a = rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
        assertEquals(204, a.status());
        assertTrue(a.body().isEmpty());
        assertEquals(before + 1, service.notifications.get(), "the notification still runs");
        RpcTestClient.Answer b = rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
        assertEquals(204, b.status());
        assertTrue(b.body().isEmpty());
    }

    @Test
    void nonExistentMethod() throws Exception {
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}").json(), -32601,
                RpcTestClient.json("\"1\""));
    }

    @Test
    void invalidJson() throws Exception {
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]").json(),
                -32700, RpcTestClient.json("null"));
    }

    @Test
    void invalidRequestObject() throws Exception {
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}").json(), -32600,
                RpcTestClient.json("null"));
    }

    @Test
    void batchWithInvalidJson() throws Exception {
        JsonNode r = rpc.post("[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\"\n]").json();
        assertTrue(r.isObject(), "one error, not a batch: " + r);
        assertError(r, -32700, RpcTestClient.json("null"));
    }

    @Test
    void emptyArray() throws Exception {
        JsonNode r = rpc.post("[]").json();
        assertTrue(r.isObject(), "one error, not a batch: " + r);
        assertError(r, -32600, RpcTestClient.json("null"));
    }

    @Test
    void invalidBatchOfOne() throws Exception {
        JsonNode r = rpc.post("[1]").json();
        assertEquals(1, r.size(), r.toString());
        assertError(r.get(0), -32600, RpcTestClient.json("null"));
    }

    @Test
    void invalidBatch() throws Exception {
        JsonNode r = rpc.post("[1,2,3]").json();
        assertEquals(3, r.size(), r.toString());
        for (JsonNode e : r) {
            assertError(e, -32600, RpcTestClient.json("null"));
        }
    }

    @Test
    void mixedBatch() throws Exception {
        JsonNode r = rpc.post("[\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},\n"
                + "  {\"foo\": \"boo\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}\n"
                + "]").json();
        assertEquals(5, r.size(), r.toString());
        Map<String, JsonNode> byId = new HashMap<>();
        JsonNode invalid = null;
        for (JsonNode e : r) {
            if (e.get("id").isNull()) {
                invalid = e;
            } else {
                byId.put(e.get("id").asText(), e);
            }
        }
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": \"1\"}"), byId.get("1"));
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": \"2\"}"), byId.get("2"));
        assertError(invalid, -32600, RpcTestClient.json("null"));
        assertError(byId.get("5"), -32601, RpcTestClient.json("\"5\""));
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": [\"hello\", 5], \"id\": \"9\"}"),
                byId.get("9"));
    }

    @Test
    void allNotificationBatchReturnsNothing() throws Exception {
        RpcTestClient.Answer a = rpc.post("[\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},\n"
                + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}\n"
                + "]");
        assertEquals(204, a.status());
        assertNull(a.json());
    }

    @Test
    void nullIdIsARequestNotANotification() throws Exception {
        assertEquals(RpcTestClient.json("{\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": null}"),
                rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": null}").json());
    }

    @Test
    void wrongParamCountIsInvalidParams() throws Exception {
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [1,2,3], \"id\": 7}").json(),
                -32602, RpcTestClient.json("7"));
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 1}, "
                + "\"id\": 8}").json(), -32602, RpcTestClient.json("8"));
        assertError(rpc.post("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [\"a\", 2], \"id\": 9}")
                .json(), -32602, RpcTestClient.json("9"));
    }

    @Test
    void versionOtherThanTwoIsInvalidRequest() throws Exception {
        assertError(rpc.post("{\"jsonrpc\": \"1.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": 1}").json(),
                -32600, RpcTestClient.json("1"));
        assertError(rpc.post("{\"method\": \"sum\", \"params\": [1,2,4], \"id\": 1}").json(),
                -32600, RpcTestClient.json("1"));
    }
}
