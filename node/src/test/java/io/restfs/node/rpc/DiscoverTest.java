package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.api.BucketApi;
import io.restfs.api.ClusterApi;
import io.restfs.api.ObjectApi;
import io.restfs.api.SegmentApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rpc.discover: an OpenRPC 1.2.6 document naming every method of the four services with its params, described for
 * a client author, and valid against the OpenRPC meta-schema (checked by Node.js with the npm packages of
 * node/src/test/js when they are installed; CI installs them).
 */
class DiscoverTest {
    @TempDir
    static Path dir;
    static ApiFixture fx;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        fx = new ApiFixture(dir);
        doc = fx.admin().discover();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void listsEveryMethodOfTheFourInterfaces() {
        TreeSet<String> expected = new TreeSet<>();
        Map<String, Class<?>> services = Map.of("bucket", BucketApi.class, "object", ObjectApi.class,
                "segment", SegmentApi.class, "cluster", ClusterApi.class);
        services.forEach((name, api) -> {
            for (Method m : api.getMethods()) {
                if (!m.isDefault()) {
                    expected.add(name + "." + m.getName());
                }
            }
        });
        TreeSet<String> listed = new TreeSet<>();
        for (JsonNode m : doc.path("methods")) {
            listed.add(m.path("name").asText());
        }
        assertEquals("1.2.6", doc.path("openrpc").asText());
        assertEquals(expected, listed);
    }

    @Test
    void paramsCarryNamesTypesAndWhetherRequired() {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode m : doc.path("methods")) {
            byName.put(m.path("name").asText(), m);
        }
        JsonNode put = byName.get("object.put");
        List<String> names = new ArrayList<>();
        for (JsonNode p : put.path("params")) {
            names.add(p.path("name").asText());
        }
        assertEquals(List.of("bucket", "path", "data", "expectedVersion"), names);
        assertEquals("string", put.path("params").get(2).path("schema").path("type").asText());
        assertEquals("base64", put.path("params").get(2).path("schema").path("contentEncoding").asText());
        assertEquals(false, put.path("params").get(3).path("required").asBoolean(true));
        assertEquals("integer", put.path("params").get(3).path("schema").path("type").asText());
        assertEquals("object", put.path("result").path("schema").path("type").asText());
        assertTrue(put.path("result").path("schema").path("properties").has("sha256"));
        JsonNode segmentPut = byName.get("segment.put");
        assertEquals(List.of("bucket", "path", "index", "data", "expectedVersion?"), paramsOf(segmentPut));
        // The paging params may be left out; after is a String made optional by its @ParamDoc.
        assertEquals(List.of("bucket", "path", "after?", "limit?"), paramsOf(byName.get("object.list")));
        assertEquals(List.of("bucket", "path", "after?", "limit?"), paramsOf(byName.get("object.versions")));
        assertTrue(segmentPut.path("summary").asText().startsWith("Replaces or appends one segment"),
                segmentPut.path("summary").asText());
        assertTrue(segmentPut.path("description").asText().endsWith("Access: needs write rights on the bucket."),
                segmentPut.path("description").asText());
        assertEquals("ObjectInfo", segmentPut.path("result").path("schema").path("title").asText());
        JsonNode list = byName.get("bucket.list").path("result").path("schema");
        assertEquals("array", list.path("type").asText());
        assertEquals("integer", list.path("items").path("properties").path("policy").path("properties").path("k")
                .path("type").asText());
        List<Integer> errorCodes = new ArrayList<>();
        for (JsonNode e : put.path("errors")) {
            errorCodes.add(e.path("code").asInt());
        }
        assertTrue(errorCodes.containsAll(List.of(-32001, -32002, -32005)), errorCodes.toString());
    }

    /** A method's param names in order, an optional one marked with '?'. */
    private static List<String> paramsOf(JsonNode method) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : method.path("params")) {
            names.add(p.path("name").asText() + (p.path("required").asBoolean() ? "" : "?"));
        }
        return names;
    }

    @Test
    void everyMethodParamAndResultIsDescribed() {
        List<String> missing = new ArrayList<>();
        assertFalse(doc.path("info").path("title").asText().isBlank());
        assertFalse(doc.path("info").path("version").asText().isBlank());
        assertFalse(doc.path("info").path("description").asText().isBlank());
        for (JsonNode m : doc.path("methods")) {
            String name = m.path("name").asText();
            for (String field : List.of("summary", "description")) {
                if (m.path(field).asText().isBlank()) {
                    missing.add(name + " " + field);
                }
            }
            if (!m.path("params").isArray()) {
                missing.add(name + " params");
            }
            for (JsonNode p : m.path("params")) {
                if (p.path("description").asText().isBlank() || !p.path("schema").isObject()) {
                    missing.add(name + " param " + p.path("name").asText());
                }
            }
            JsonNode r = m.path("result");
            if (r.path("name").asText().isBlank() || r.path("description").asText().isBlank()
                    || !r.path("schema").isObject()) {
                missing.add(name + " result");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void errorsAreThoseTheMethodCanEndIn() {
        Map<String, List<Integer>> codes = new HashMap<>();
        for (JsonNode m : doc.path("methods")) {
            List<Integer> c = new ArrayList<>();
            m.path("errors").forEach(e -> c.add(e.path("code").asInt()));
            codes.put(m.path("name").asText(), c);
        }
        // Any valid token: no FORBIDDEN; no params: no INVALID_PARAMS; reads nothing that can be missing.
        assertEquals(List.of(-32603, -32001), codes.get("cluster.status"));
        // A read: NOT_FOUND and the read failures, never a write's CONFLICT or INSUFFICIENT_NODES.
        List<Integer> stat = codes.get("object.stat");
        assertTrue(stat.containsAll(List.of(-32602, -32603, -32001, -32002, -32003, -32008, -32011)), stat.toString());
        assertFalse(stat.contains(-32005) || stat.contains(-32007) || stat.contains(-32010), stat.toString());
        List<Integer> delete = codes.get("bucket.delete");
        assertTrue(delete.containsAll(List.of(-32002, -32003, -32006)), delete.toString());
        assertFalse(delete.contains(-32010), delete.toString());
    }

    @Test
    void documentIsValidAgainstTheOpenRpcMetaSchema() throws Exception {
        Path js = Path.of("src", "test", "js").toAbsolutePath();
        String missing = null;
        if (!Files.isRegularFile(js.resolve("node_modules/@open-rpc/meta-schema/package.json"))) {
            missing = "@open-rpc/meta-schema is not installed under " + js.resolve("node_modules")
                    + "; run `npm ci` in node/src/test/js";
        }
        if (missing != null) {
            assertFalse("true".equalsIgnoreCase(System.getenv("CI")), missing + " (CI=true: failing, not skipping)");
            Assumptions.abort(missing);
        }
        Process p = new ProcessBuilder("node", "validate-openrpc.js").directory(js.toFile())
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(doc.toString().getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "validate-openrpc.js did not finish");
        assertEquals(0, p.exitValue(), out);
        assertEquals("valid", out.strip());
    }

    @Test
    void namedParamsFromTheDocumentAreAccepted() throws Exception {
        fx.admin().buckets().create("named", io.restfs.api.BucketPolicy.defaults());
        RpcTestClient rpc = new RpcTestClient(fx.uri(), fx.adminToken);
        JsonNode r = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"object.put\",\"params\":"
                + "{\"bucket\":\"named\",\"path\":\"/n\",\"data\":\"aGk=\"}}").json();
        assertEquals(1, r.path("result").path("version").asInt(), r.toString());
        JsonNode g = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"object.get\",\"params\":"
                + "{\"path\":\"/n\",\"bucket\":\"named\"}}").json();
        assertEquals("aGk=", g.path("result").asText(), g.toString());
    }
}
