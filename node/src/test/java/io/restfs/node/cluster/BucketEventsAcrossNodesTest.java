package io.restfs.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.api.BucketEvent;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.api.client.BucketSubscription;
import io.restfs.api.client.RestfsClient;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;
import io.restfs.node.config.ClusterKeyFile;
import io.restfs.node.config.NodeConfigFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeFixture;
import io.restfs.node.daemon.ServingNode;
import io.restfs.node.pubsub.WsProbe;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bucket's events reach its subscribers on every member, whichever node made the change. */
class BucketEventsAcrossNodesTest {
    /** Long enough for a loaded two-core machine; events normally arrive within milliseconds. */
    private static final long WAIT_SECONDS = 30;
    private static final long JOIN_SECONDS = 60;
    private static final BucketPolicy POLICY = new BucketPolicy(1, 1, 64 << 10, true, true, false);

    @TempDir
    Path tmp;

    @Test
    void subscribersOnOtherNodesGetEachEventOfAWriteThroughOneNodeOnce() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        Path aConfig = NodeFixture.init(tmp.resolve("a"), clusterKey, List.of(), "a");
        String admin = TokenStore.open(tmp.resolve("a")).create(Grant.adminGrant(), "test");
        try (NodeDaemon a = ServingNode.start(NodeConfigFile.load(aConfig))) {
            List<String> seeds = List.of(NodeFixture.seedOf(a));
            Path bConfig = NodeFixture.init(tmp.resolve("b"), clusterKey, seeds, "b");
            TokenStore.open(tmp.resolve("b")).add(admin, Grant.adminGrant(), "test");
            Path cConfig = NodeFixture.init(tmp.resolve("c"), clusterKey, seeds, "c");
            try (NodeDaemon b = ServingNode.start(NodeConfigFile.load(bConfig));
                 NodeDaemon c = ServingNode.start(NodeConfigFile.load(cConfig))) {
                List<NodeDaemon> all = List.of(a, b, c);
                assertTrue(NodeFixture.eventually(JOIN_SECONDS, () -> all.stream().allMatch(
                        n -> n.discovery().linkedPeers().size() == 2 && NodeFixture.knowsDataHolders(n, 2))),
                        "the three nodes did not link and learn each other");
                RestfsClient viaB = new RestfsClient(URI.create(b.runtime().apiUrl()), admin, Duration.ofSeconds(60));
                viaB.buckets().create("evts", POLICY);
                viaB.buckets().create("others", POLICY);

                TokenStore aTokens = TokenStore.open(tmp.resolve("a"));
                URI aUri = URI.create(a.runtime().apiUrl());
                String readOthers = aTokens.create(Grant.on(Set.of("others"), Set.of()), "reads others");
                // Authorization is the subscriber's node's, as before: a token for another bucket is refused.
                RestfsException forbidden = assertThrows(RestfsException.class,
                        () -> RestfsClient.connect(aUri, readOthers).subscribe("evts", e -> { }));
                assertEquals(ErrorCode.FORBIDDEN, forbidden.code(), forbidden.toString());

                BlockingQueue<BucketEvent> onA = new LinkedBlockingQueue<>();
                BlockingQueue<BucketEvent> onC = new LinkedBlockingQueue<>();
                BlockingQueue<BucketEvent> othersOnA = new LinkedBlockingQueue<>();
                String readEvtsOnA = aTokens.create(Grant.on(Set.of("evts"), Set.of()), "reads evts");
                String readEvtsOnC = TokenStore.open(tmp.resolve("c")).create(Grant.on(Set.of("evts"), Set.of()), "r");
                try (BucketSubscription subA = RestfsClient.connect(aUri, readEvtsOnA).subscribe("evts", onA::add);
                     BucketSubscription subC = RestfsClient.connect(URI.create(c.runtime().apiUrl()), readEvtsOnC)
                             .subscribe("evts", onC::add);
                     BucketSubscription subOthers = RestfsClient.connect(aUri, readOthers)
                             .subscribe("others", othersOnA::add)) {
                    long v1 = viaB.objects().put("evts", "/f", new byte[] {1}, null).version();
                    long v2 = viaB.objects().put("evts", "/f", new byte[] {2}, null).version();
                    viaB.objects().delete("evts", "/f");
                    // The last write's event comes after any second copy of the earlier ones (one link, in order).
                    viaB.objects().put("evts", "/last", new byte[] {3}, null);
                    List<String> expected = List.of("created /f " + v1, "changed /f " + v2, "deleted /f " + (v2 + 1),
                            "created /last 1");
                    assertEquals(expected, take(onA, 4), "on node a");
                    assertEquals(expected, take(onC, 4), "on node c");

                    viaB.objects().put("others", "/o", new byte[] {4}, null);
                    assertEquals(List.of("created /o 1"), take(othersOnA, 1),
                            "the other bucket's subscriber got none of evts's events");
                    assertTrue(onA.isEmpty(), "evts's subscriber got nothing of the other bucket: " + onA);
                }
            }
        }
    }

    @Test
    void aMemberMayPassOnlyWellFormedBucketEventsAndClientsNone() throws Exception {
        byte[] clusterKey = ClusterKeyFile.generate(new SecureRandom());
        Path config = NodeFixture.init(tmp.resolve("n"), clusterKey, List.of(), "n");
        String read = TokenStore.open(tmp.resolve("n")).create(Grant.on(Set.of("evts"), Set.of()), "reads evts");
        try (NodeDaemon n = ServingNode.start(NodeConfigFile.load(config));
             WsProbe member = WsProbe.open(n.runtime().apiUrl());
             WsProbe client = WsProbe.open(n.runtime().apiUrl())) {
            assertEquals("welcome", member.link(Ed25519KeyPair.generate(new SecureRandom()), clusterKey)
                    .path("type").asText());
            client.awaitType("hello", 10);
            client.send("{\"type\":\"event\",\"topic\":\"bucket.evts\",\"data\":{\"type\":\"created\",\"path\":\"/x\","
                    + "\"version\":1}}");
            assertEquals("unauthorized", client.awaitType("error", 10).path("code").asText());

            BlockingQueue<BucketEvent> events = new LinkedBlockingQueue<>();
            try (BucketSubscription sub = RestfsClient.connect(URI.create(n.runtime().apiUrl()), read)
                    .subscribe("evts", events::add)) {
                for (String data : List.of("[]", "{\"type\":\"created\",\"path\":\"/x\"}",
                        "{\"type\":\"exploded\",\"path\":\"/x\",\"version\":1}",
                        "{\"type\":\"created\",\"path\":\"x\",\"version\":1}",
                        "{\"type\":\"created\",\"path\":\"/x\",\"version\":-1}",
                        "{\"type\":\"created\",\"path\":\"/x\",\"version\":1.5}")) {
                    member.send("{\"type\":\"event\",\"topic\":\"bucket.evts\",\"data\":" + data + "}");
                    assertEquals("bad_frame", member.awaitType("error", 10).path("code").asText(), data);
                }
                member.send("{\"type\":\"event\",\"topic\":\"objects.evts\",\"data\":{}}");
                assertEquals("bad_frame", member.awaitType("error", 10).path("code").asText());
                member.send("{\"type\":\"event\",\"topic\":\"bucket.evts\",\"data\":{\"type\":\"changed\","
                        + "\"path\":\"/x\",\"version\":7}}");
                assertEquals(List.of("changed /x 7"), take(events, 1));

                // A change made on this node goes to linked members once, even to one that also subscribed.
                member.send("{\"type\":\"subscribe\",\"topic\":\"bucket.evts\"}");
                member.awaitType("subscribed", 10);
                String topic = BucketEvent.topic("evts");
                n.context().publisher().publish(topic, new BucketEvent(BucketEvent.DELETED, "/x", 8));
                n.context().publisher().publish(topic, new BucketEvent(BucketEvent.CREATED, "/y", 1));
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    JsonNode f = member.await(e -> e.path("type").asText().equals("event")
                            && e.path("topic").asText().equals("bucket.evts"), WAIT_SECONDS);
                    seen.add(f.path("data").path("path").asText() + " " + f.path("data").path("version").asLong());
                }
                assertEquals(List.of("/x 8", "/y 1"), seen);
                assertEquals(List.of("deleted /x 8", "created /y 1"), take(events, 2));
            }
        }
    }

    /** The next {@code count} events, as "type path version"; "nothing" for each that did not come in time. */
    private static List<String> take(BlockingQueue<BucketEvent> events, int count) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BucketEvent e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            out.add(e == null ? "nothing" : e.type() + " " + e.path() + " " + e.version());
        }
        return out;
    }
}
