package io.restfs.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.api.BucketApi;
import io.restfs.api.ClusterApi;
import io.restfs.api.ObjectApi;
import io.restfs.api.SegmentApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rpc.discover: an OpenRPC 1.2.6 document naming every method of the four services with its params. */
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
                expected.add(name + "." + m.getName());
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
        List<String> segmentPutParams = new ArrayList<>();
        for (JsonNode p : segmentPut.path("params")) {
            segmentPutParams.add(p.path("name").asText() + (p.path("required").asBoolean() ? "" : "?"));
        }
        assertEquals(List.of("bucket", "path", "index", "data", "expectedVersion?"), segmentPutParams);
        assertEquals("needs write rights on the bucket", segmentPut.path("summary").asText());
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
