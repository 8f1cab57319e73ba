package io.restfs.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.node.cli.Main;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.pubsub.Membership;
import io.restfs.node.pubsub.WsProbe;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node process killed with SIGKILL is published as dead to the members' subscribers. */
class KilledNodeTest {
    @TempDir
    Path tmp;

    @Test
    void aNodeKilledWithSigkillIsPublishedAsDead() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        try (NodeDaemon a = NodeFixture.start(NodeFixture.init(tmp.resolve("a"), clusterKey, List.of(), "a"))) {
            Path bConfig = NodeFixture.init(tmp.resolve("b"), clusterKey, List.of(NodeFixture.seedOf(a)), "b");
            String bId = Ed25519KeyFile.load(tmp.resolve("b").resolve("node.key")).nodeId().toHex();
            Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "node", "--config", bConfig.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("b.log").toFile()).start();
            try (WsProbe member = WsProbe.open(a.runtime().apiUrl())) {
                member.link(Ed25519KeyPair.generate(new SecureRandom()), clusterKey);
                member.send("{\"type\":\"subscribe\",\"topic\":\"cluster.members\"}");
                member.await(f -> f.path("data").path("member").path("nodeId").asText().equals(bId)
                        && !f.path("data").path("kind").asText().equals("dead"), 60);
                b.destroyForcibly();
                JsonNode dead = member.await(f -> f.path("data").path("kind").asText().equals("dead"), 30);
                assertEquals(bId, dead.get("data").get("member").get("nodeId").asText());
                assertEquals(Membership.State.DEAD, a.discovery().membership().entries().stream()
                        .filter(e -> e.nodeId().toHex().equals(bId)).findFirst().orElseThrow().state());
                assertTrue(NodeFixture.get(a.runtime().apiUrl() + "/status.json").body().contains("degraded"));
            } finally {
                b.destroyForcibly().waitFor();
            }
        }
    }
}
