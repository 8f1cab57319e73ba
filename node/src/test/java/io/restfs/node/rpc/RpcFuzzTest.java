package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed and hostile JSON-RPC: random bytes, deep nesting, huge numbers, wrong types, giant strings and mutations
 * of good requests. Every answer must be a proper JSON-RPC response (no HTTP 500, no Java class names or stack
 * traces), and the server must keep serving afterwards.
 */
class RpcFuzzTest {
    /** Fixed, so a failure replays; printed with every failing case. */
    static final long SEED = 0x5EED_4A50L;
    static final int MUTATIONS = 250;

    @TempDir
    static Path dir;
    static ApiFixture fx;
    static RpcTestClient rpc;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        fx.admin().buckets().create("fuzz", io.restfs.api.BucketPolicy.defaults());
        rpc = new RpcTestClient(fx.uri(), fx.adminToken);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    static final List<String> GOOD = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":[\"fuzz\",\"/f\",\"aGVsbG8=\",null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"bucket.create\",\"params\":[\"made\",{\"k\":2,\"m\":1,"
                    + "\"segmentSize\":65536,\"compress\":true,\"encrypt\":true,\"allowDoubleUp\":false}]}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"object.list\",\"params\":{\"bucket\":\"fuzz\",\"path\":\"/\"}}",
            "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"cluster.status\"},"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\",1]}]",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"segment.get\",\"params\":[\"fuzz\",\"/f\",null,0]}");

    static final List<String> HOSTILE = List.of(
            "[".repeat(100_000),
            "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.get\",\"params\":" + "[".repeat(500) + "]".repeat(500) + "}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\",1e400]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\","
                    + "99999999999999999999999]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\"," + "9".repeat(5000)
                    + "]}",
            "{\"jsonrpc\":\"2.0\",\"id\":" + "1".repeat(3000) + ",\"method\":\"cluster.status\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\",1.5]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.stat\",\"params\":[\"fuzz\",\"/f\",\"1\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":[\"fuzz\",\"/f\",12,null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":[\"fuzz\",\"/f\",\"not base64!!\",null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":[[],{},true,false]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"bucket.create\",\"params\":[\"b\",{\"k\":\"four\"}]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"bucket.create\",\"params\":[\"b\",{\"k\":4,\"evil\":1}]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"bucket.create\",\"params\":[\"b\",[1,2,3]]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"segment.get\",\"params\":[\"fuzz\",\"/f\",null,\"zero\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"an\":\"object\"},\"method\":\"cluster.status\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"cluster.status\"}",
            "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"cluster.status\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{\"x\":1}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\",\"params\":\"str\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"rpc.other\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\"} trailing",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.get\",\"params\":[\"" + "b".repeat(5_000_000)
                    + "\",\"/f\",null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + "m".repeat(3_000_000) + "\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.get\",\"params\":[\"fuzz\",\"" + "/p".repeat(2_000_000)
                    + "\",null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.get\",\"params\":{\"" + "k".repeat(1_000_000)
                    + "\":1}}",
            "[" + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\"},".repeat(101) + "1]",
            "\"just a string\"", "42", "null", "true", "", "   ", "\u0000\u0001\u0002", "{\"jsonrpc\":\"2.0\"",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.get\",\"params\":[\"\\ud800\",\"/\\u0000\",null]}",
            "{\"jsonrpc\":\"2.0\",\"id\":NaN,\"method\":\"cluster.status\"}",
            "{'jsonrpc':'2.0','id':1,'method':'cluster.status'}");

    @Test
    void hostileRequestsGetJsonRpcErrors() throws Exception {
        for (String body : HOSTILE) {
            check(body.getBytes(StandardCharsets.UTF_8), "hostile " + preview(body));
        }
        assertServing();
    }

    @Test
    void wrongTypesAreInvalidParamsNamingTheParam() throws Exception {
        for (int i : new int[] {3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
            JsonNode r = rpc.post(HOSTILE.get(i)).json();
            assertEquals(-32602, r.path("error").path("code").asInt(), HOSTILE.get(i) + " -> " + r);
            assertEquals(1, r.path("id").asInt(), r.toString());
        }
        JsonNode r = rpc.post(HOSTILE.get(9)).json();
        assertEquals("object.put param 'data' must be a string (base64), got a number",
                r.path("error").path("data").asText());
    }

    @Test
    void randomBytesGetParseErrors() throws Exception {
        Random r = new Random(SEED);
        for (int i = 0; i < 60; i++) {
            byte[] b = new byte[r.nextInt(2000)];
            r.nextBytes(b);
            check(b, "random bytes case " + i + " (seed " + SEED + ")");
        }
        assertServing();
    }

    @Test
    void mutatedRequestsGetProperAnswers() throws Exception {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < MUTATIONS; i++) {
            String good = GOOD.get(r.nextInt(GOOD.size()));
            StringBuilder b = new StringBuilder(good);
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(4)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, "{}[]\",:0-1e9tfn\\ "
                            .charAt(r.nextInt(17)));
                    case 2 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                    default -> b.insert(at, b.substring(at, Math.min(b.length(), at + r.nextInt(20))));
                }
            }
            check(b.toString().getBytes(StandardCharsets.UTF_8), "mutation " + i + " (seed " + (SEED + 1) + "): "
                    + preview(b.toString()));
        }
        assertServing();
    }

    private static String preview(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "... (" + s.length() + " chars)";
    }

    private static void check(byte[] body, String what) throws Exception {
        RpcTestClient.Answer a = rpc.post(body);
        assertTrue(a.status() == 200 || a.status() == 204 || a.status() == 413, what + " -> HTTP " + a.status());
        assertFalse(a.body().contains("java.") || a.body().contains("Exception") || a.body().contains("\tat ")
                || a.body().contains("com.fasterxml") || a.body().contains("jsonrpc4j"), what + " leaks: " + a.body());
        if (a.status() == 204) {
            assertTrue(a.body().isEmpty(), what);
            return;
        }
        JsonNode j = a.json();
        List<JsonNode> responses = new ArrayList<>();
        if (j.isArray()) {
            assertFalse(j.isEmpty(), what + " -> empty batch answer");
            j.forEach(responses::add);
        } else {
            responses.add(j);
        }
        for (JsonNode resp : responses) {
            assertEquals("2.0", resp.path("jsonrpc").asText(), what + " -> " + resp);
            assertTrue(resp.has("id"), what + " -> no id: " + resp);
            if (resp.has("error")) {
                assertFalse(resp.has("result"), what + " -> " + resp);
                assertTrue(resp.get("error").path("code").isInt(), what + " -> " + resp);
                assertTrue(resp.get("error").path("message").isTextual(), what + " -> " + resp);
                assertFalse(resp.get("error").path("code").asInt() == -32603,
                        what + " -> an internal error for bad input: " + resp);
            } else if (!resp.has("result")) {
                fail(what + " -> neither result nor error: " + resp);
            }
        }
    }

    private static void assertServing() throws Exception {
        JsonNode ok = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"object.list\",\"params\":[\"fuzz\",\"/\"]}")
                .json();
        assertTrue(ok.has("result"), ok.toString());
    }
}
