package io.restfs.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.RuntimeInfo;
import io.restfs.node.pubsub.Topics;
import io.restfs.node.pubsub.WsProbe;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path newNode() throws IOException {
        return NodeFixture.init(tmp.resolve("n"), ClusterKeyFile.generate(new SecureRandom()), List.of(), "g1");
    }

    @Test
    void servesStatusPageStatusJsonMetricsAndWebSocket() throws Exception {
        try (NodeDaemon d = NodeFixture.start(newNode())) {
            String url = d.runtime().apiUrl();
            HttpResponse<String> page = NodeFixture.get(url + "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains(d.nodeId().toHex()), page.body());
            assertTrue(page.body().contains("Health"), page.body());

            JsonNode status = JSON.readTree(NodeFixture.get(url + "/status.json").body());
            assertEquals(d.nodeId().toHex(), status.get("nodeId").asText());
            assertEquals("ok", status.get("health").asText());
            assertEquals(1L << 30, status.get("capacityBytes").asLong());
            assertEquals("g1", status.get("self").get("group").asText());

            HttpResponse<String> metrics = NodeFixture.get(url + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(metrics.body().contains("restfs_shard_bytes_capacity " + (double) (1L << 30)), metrics.body());
            assertTrue(metrics.body().contains("restfs_members{state=\"alive\",} 0.0"), metrics.body());
            assertTrue(metrics.body().contains("restfs_transfer_frame_auth_failures_total{side=\"server\",} 0.0"),
                    metrics.body());
            assertTrue(metrics.body().contains("jvm_memory_bytes_used"), "hotspot collectors registered");

            assertEquals(404, NodeFixture.get(url + "/no-such-page").statusCode());

            try (WsProbe ws = WsProbe.open(url)) {
                JsonNode hello = ws.awaitType("hello", 10);
                assertEquals(d.nodeId().toHex(), hello.get("nodeId").asText());
            }
        }
    }

    @Test
    void countsRpcCallsOthersRecordOnTheSharedRegistry() throws Exception {
        try (NodeDaemon d = NodeFixture.start(newNode())) {
            d.context().metrics().rpcCall("bucket.list");
            d.context().metrics().rpcError("bucket.list", -32001);
            String body = NodeFixture.get(d.runtime().apiUrl() + "/metrics").body();
            assertTrue(body.contains("restfs_rpc_calls_total{method=\"bucket.list\",} 1.0"), body);
            assertTrue(body.contains("restfs_rpc_errors_total{method=\"bucket.list\",code=\"-32001\",} 1.0"), body);
        }
    }

    @Test
    void servesServletsMountedWhileRunning() throws Exception {
        try (NodeDaemon d = NodeFixture.start(newNode())) {
            d.mount("/rpc", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.getWriter().print("mounted");
                }
            });
            HttpResponse<String> r = NodeFixture.get(d.runtime().apiUrl() + "/rpc");
            assertEquals(200, r.statusCode());
            assertEquals("mounted", r.body());
        }
    }

    @Test
    void writesRuntimeInfoWhileRunningAndKeepsItsIdAcrossRestarts() throws Exception {
        Path config = newNode();
        Path runtimeFile = config.resolveSibling(RuntimeInfo.FILE_NAME);
        String id;
        try (NodeDaemon d = NodeFixture.start(config)) {
            id = d.nodeId().toHex();
            RuntimeInfo info = RuntimeInfo.read(runtimeFile).orElseThrow();
            assertEquals(ProcessHandle.current().pid(), info.pid());
            assertEquals(id, info.nodeId());
            assertEquals(d.runtime().apiPort(), info.apiPort());
            assertTrue(info.apiPort() > 0 && info.dhtPort() > 0 && info.shardPort() > 0);
        }
        assertFalse(Files.exists(runtimeFile), "a clean stop removes the runtime info");
        try (NodeDaemon again = NodeFixture.start(config)) {
            assertEquals(id, again.nodeId().toHex());
        }
    }

    @Test
    void refusesToStartWithoutItsKeysSayingWhatIsMissing() throws Exception {
        Path config = newNode();
        Files.delete(config.resolveSibling("cluster.key"));
        NodeStartException e = org.junit.jupiter.api.Assertions.assertThrows(NodeStartException.class,
                () -> NodeFixture.start(config));
        assertTrue(e.getMessage().contains("cluster key") && e.getMessage().contains("cluster.key"), e.getMessage());
    }

    @Test
    void badFramesGetErrorFramesAndTheConnectionKeepsWorking() throws Exception {
        try (NodeDaemon d = NodeFixture.start(newNode()); WsProbe ws = WsProbe.open(d.runtime().apiUrl())) {
            ws.awaitType("hello", 10);
            ws.send("not json {");
            assertEquals("bad_frame", ws.awaitType("error", 10).get("code").asText());
            ws.send("[1,2,3]");
            assertEquals("bad_frame", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"no-such-type\"}");
            assertEquals("bad_frame", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"subscribe\",\"topic\":\"nonsense topic\"}");
            assertEquals("unknown_topic", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"subscribe\",\"topic\":\"x\",\"pad\":\"" + "a".repeat(70_000) + "\"}");
            assertEquals("too_large", ws.awaitType("error", 10).get("code").asText());
            ws.send("[".repeat(5000));
            assertEquals("bad_frame", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"subscribe\",\"topic\":\"" + Topics.CLUSTER_MEMBERS + "\"}");
            assertEquals("unauthorized", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"announce\",\"data\":{}}");
            assertEquals("unauthorized", ws.awaitType("error", 10).get("code").asText());
            ws.send("{\"type\":\"event\",\"topic\":\"cluster.members\",\"data\":{}}");
            assertEquals("unauthorized", ws.awaitType("error", 10).get("code").asText());
            assertTrue(ws.isOpen(), "bad frames do not cost the connection");
            ws.send("{\"type\":\"heartbeat\"}");
            ws.send("{\"type\":\"subscribe\",\"topic\":\"bucket.b\"}");
            assertEquals("unauthorized", ws.awaitType("error", 10).get("code").asText());
        }
    }

    @Test
    void bucketEventsReachSubscribersWhoseTokenTheAuthorizerAccepts() throws Exception {
        try (NodeDaemon d = NodeFixture.start(newNode())) {
            d.setSubscriberAuthorizer((token, topic) -> token.equals("reader-of-a") && topic.equals("bucket.a"));
            String url = d.runtime().apiUrl();
            try (WsProbe header = WsProbe.open(url, "reader-of-a"); WsProbe inFrame = WsProbe.open(url);
                 WsProbe wrong = WsProbe.open(url, "reader-of-a")) {
                header.send("{\"type\":\"subscribe\",\"topic\":\"bucket.a\"}");
                assertEquals("bucket.a", header.awaitType("subscribed", 10).get("topic").asText());
                inFrame.send("{\"type\":\"subscribe\",\"topic\":\"bucket.a\",\"token\":\"reader-of-a\"}");
                inFrame.awaitType("subscribed", 10);
                wrong.send("{\"type\":\"subscribe\",\"topic\":\"bucket.b\"}");
                assertEquals("forbidden", wrong.awaitType("error", 10).get("code").asText());

                d.context().publisher().publish("bucket.b", Map.of("type", "created", "path", "/secret"));
                d.context().publisher().publish("bucket.a", Map.of("type", "created", "path", "/x", "version", 1));
                for (WsProbe p : List.of(header, inFrame)) {
                    JsonNode e = p.awaitType("event", 10);
                    assertEquals("bucket.a", e.get("topic").asText());
                    assertEquals("/x", e.get("data").get("path").asText());
                    assertEquals(1, e.get("data").get("version").asInt());
                }
            }
        }
    }

    @Test
    void configDefaultsFillWhatTheFileLeavesOut() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bare"));
        Path f = dir.resolve(NodeConfig.FILE_NAME);
        Files.writeString(f, "[node]\ngroup = \"r1\"\n");
        NodeConfig c = io.restfs.node.config.NodeConfigFile.load(f);
        assertEquals(NodeConfig.DEFAULT_API_PORT, c.api().port());
        assertEquals(NodeConfig.DEFAULT_CAPACITY_BYTES, c.capacityBytes());
        assertEquals(dir.resolve("node.key"), c.nodeKeyFile());
        assertEquals("r1", c.group());
    }
}
