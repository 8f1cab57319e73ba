package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.routing.Contact;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryTest {
    private static final long WAIT = 20;

    @TempDir
    Path tmp;

    private final byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
    private final List<NodeDaemon> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(NodeDaemon::close);
    }

    private NodeDaemon node(String name, byte[] key, List<String> seeds) throws Exception {
        NodeDaemon d = NodeFixture.start(NodeFixture.init(tmp.resolve(name), key, seeds, "group-" + name));
        nodes.add(d);
        return d;
    }

    private static Set<NodeId> alive(NodeDaemon d) {
        return d.discovery().membership().alive().stream().map(Membership.Entry::nodeId).collect(Collectors.toSet());
    }

    private static Set<NodeId> dhtContacts(NodeDaemon d) {
        try {
            return d.context().dht().contacts().get(5, TimeUnit.SECONDS).stream().map(Contact::id)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void twoNodesDiscoverEachOtherThroughTheSeed() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        NodeDaemon b = node("b", clusterKey, List.of(NodeFixture.seedOf(a)));
        assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).equals(Set.of(b.nodeId()))
                && alive(b).equals(Set.of(a.nodeId()))), "a: " + alive(a) + " b: " + alive(b));
        assertTrue(NodeFixture.eventually(WAIT, () -> dhtContacts(a).contains(b.nodeId())
                && dhtContacts(b).contains(a.nodeId())), "each DHT table holds the other");
        Announcement seen = b.discovery().membership().get(a.nodeId()).orElseThrow().announcement();
        assertEquals("group-a", seen.group());
        assertEquals(a.runtime().dhtPort(), seen.dhtPort());
        assertEquals(a.runtime().shardPort(), seen.shardPort());
        assertEquals(1L << 30, seen.capacityBytes());
    }

    @Test
    void threeNodesLearnEachOtherByRelayAndLinkFully() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        NodeDaemon b = node("b", clusterKey, List.of(NodeFixture.seedOf(a)));
        // c knows only b; a and c meet through b's relayed events, then link directly.
        NodeDaemon c = node("c", clusterKey, List.of(NodeFixture.seedOf(b)));
        assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).equals(Set.of(b.nodeId(), c.nodeId()))
                && alive(b).equals(Set.of(a.nodeId(), c.nodeId())) && alive(c).equals(Set.of(a.nodeId(), b.nodeId()))),
                "a: " + alive(a) + " b: " + alive(b) + " c: " + alive(c));
        assertTrue(NodeFixture.eventually(WAIT, () -> a.discovery().linkedPeers().size() == 2
                && b.discovery().linkedPeers().size() == 2 && c.discovery().linkedPeers().size() == 2),
                "every pair linked directly");
        assertTrue(NodeFixture.eventually(WAIT, () -> dhtContacts(a).containsAll(Set.of(b.nodeId(), c.nodeId()))
                && dhtContacts(b).containsAll(Set.of(a.nodeId(), c.nodeId()))
                && dhtContacts(c).containsAll(Set.of(a.nodeId(), b.nodeId()))), "DHT tables hold the others");
    }

    @Test
    void aGracefulStopIsPublishedAsLeftAndARestartAsJoinedAgain() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        Path bConfig = NodeFixture.init(tmp.resolve("b"), clusterKey, List.of(NodeFixture.seedOf(a)), "g");
        NodeDaemon b = NodeFixture.start(bConfig);
        NodeId bId = b.nodeId();
        try {
            assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).contains(bId)));
        } finally {
            b.close();
        }
        assertTrue(NodeFixture.eventually(WAIT, () -> a.discovery().membership().get(bId)
                .map(e -> e.state() == Membership.State.LEFT).orElse(false)), "b left, not died");
        NodeDaemon again = NodeFixture.start(bConfig);
        nodes.add(again);
        assertEquals(bId, again.nodeId());
        assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).contains(bId)), "b is back");
    }

    @Test
    void aNodeWithoutTheClusterKeyIsRefused() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        NodeDaemon stranger = node("s", ClusterKeyFile.generate(new SecureRandom()), List.of(NodeFixture.seedOf(a)));
        try (WsProbe probe = WsProbe.open(a.runtime().apiUrl())) {
            JsonNode answer = probe.link(Ed25519KeyPair.generate(new SecureRandom()),
                    ClusterKeyFile.generate(new SecureRandom()));
            assertEquals("error", answer.get("type").asText());
            assertEquals("unauthorized", answer.get("code").asText());
            assertTrue(probe.awaitClosed(10), "the node hangs up on a stranger");
        }
        // Give the stranger's own dialling several heartbeats to fail.
        Thread.sleep(10 * NodeFixture.TEST_HEARTBEAT_MILLIS);
        assertTrue(alive(a).isEmpty(), "a lists no one: " + alive(a));
        assertTrue(alive(stranger).isEmpty(), "the stranger learned no one: " + alive(stranger));
        assertTrue(a.discovery().linkedPeers().isEmpty());
    }

    @Test
    void forgedAnnouncementsAreRefusedAndAnHonestOneAccepted() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        Ed25519KeyPair me = Ed25519KeyPair.generate(new SecureRandom());
        Ed25519KeyPair other = Ed25519KeyPair.generate(new SecureRandom());
        try (WsProbe probe = WsProbe.open(a.runtime().apiUrl())) {
            assertEquals("welcome", probe.link(me, clusterKey).get("type").asText());
            // Announcing someone else, even with their valid signature.
            probe.send(WsProbe.announceFrame(WsProbe.announcement(other, 1)));
            assertEquals("forged", probe.awaitType("error", 10).get("code").asText());
            // Our own announcement with a broken signature.
            probe.send(WsProbe.announceFrame(WsProbe.tampered(WsProbe.announcement(me, 2))));
            assertEquals("forged", probe.awaitType("error", 10).get("code").asText());
            // A relayed event about someone else whose signature does not verify.
            JsonNode forgedEvent = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("type", "event").put("topic", Topics.CLUSTER_MEMBERS)
                    .set("data", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                            .put("kind", "joined").set("member", WsProbe.tampered(WsProbe.announcement(other, 3))
                                    .toJson()));
            probe.send(forgedEvent);
            assertEquals("forged", probe.awaitType("error", 10).get("code").asText());
            assertTrue(alive(a).isEmpty(), "nothing forged was believed: " + alive(a));

            probe.send(WsProbe.announceFrame(WsProbe.announcement(me, 4)));
            assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).equals(Set.of(me.nodeId()))));
        }
    }

    @Test
    void membersSubscribedToClusterMembersGetASnapshotAndLaterJoins() throws Exception {
        NodeDaemon a = node("a", clusterKey, List.of());
        NodeDaemon b = node("b", clusterKey, List.of(NodeFixture.seedOf(a)));
        assertTrue(NodeFixture.eventually(WAIT, () -> alive(a).contains(b.nodeId())));
        try (WsProbe probe = WsProbe.open(a.runtime().apiUrl())) {
            Ed25519KeyPair me = Ed25519KeyPair.generate(new SecureRandom());
            probe.link(me, clusterKey);
            probe.send("{\"type\":\"subscribe\",\"topic\":\"cluster.members\"}");
            JsonNode snap = probe.await(f -> f.path("data").path("kind").asText().equals("snapshot"), 10);
            assertEquals(b.nodeId().toHex(), snap.get("data").get("member").get("nodeId").asText());
            NodeDaemon c = node("c", clusterKey, List.of(NodeFixture.seedOf(a)));
            JsonNode joined = probe.await(f -> f.path("data").path("kind").asText().equals("joined")
                    && f.path("data").path("member").path("nodeId").asText().equals(c.nodeId().toHex()), WAIT);
            assertFalse(joined.get("data").get("member").get("leaving").asBoolean());
        }
    }
}
