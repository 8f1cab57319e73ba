package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.PeerKind;
import io.restfs.dht.rpc.RpcTimeouts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thirty real nodes on loopback UDP, each with its own logic thread and Xodus state. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DhtOverUdpTest {
    private static final int NODES = 30;
    /** Every node shares 127.0.0.1, so the per-IP rate limit must not throttle the cluster itself. */
    private static final DhtConfig CONFIG = DhtConfig.defaults()
            .withTimeouts(new RpcTimeouts(500, 50, 2_000, 2))
            .withRateLimit(100_000, 100_000)
            .withShardEndpoint("127.0.0.1", 7000, "rack-a");

    private Path stateRoot;
    private final SplittableRandom random = new SplittableRandom(2026);
    private final List<UdpDht> nodes = new ArrayList<>();
    private final List<Ed25519KeyPair> keys = new ArrayList<>();

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private Ed25519KeyPair newKey() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @BeforeAll
    void startAndBootstrap(@TempDir Path dir) throws Exception {
        stateRoot = dir;
        for (int i = 0; i < NODES; i++) {
            Ed25519KeyPair key = newKey();
            keys.add(key);
            nodes.add(UdpDht.open(CONFIG, key, loopback(0), Optional.of(stateRoot.resolve("n" + i))));
        }
        List<CompletableFuture<Integer>> boots = new ArrayList<>();
        for (int i = 1; i < NODES; i++) {
            boots.add(nodes.get(i).node().bootstrap(List.of(nodes.get(0).node().localAddress())));
        }
        for (CompletableFuture<Integer> b : boots) {
            assertTrue(await(b) > 0);
        }
        // A second round lets early joiners learn of later ones.
        for (int i = 0; i < NODES; i++) {
            await(nodes.get(i).node().lookup(nodes.get(i).node().id()));
        }
    }

    @AfterAll
    void stop() {
        nodes.forEach(UdpDht::close);
    }

    @Test
    @Order(1)
    void lookupOverUdpFindsTheTrueClosestNodes() throws Exception {
        for (int round = 0; round < 5; round++) {
            NodeId target = NodeId.random(random);
            DhtNode from = nodes.get(random.nextInt(NODES)).node();
            LookupResult r = await(from.lookup(target));
            List<NodeId> expected = nodes.stream().map(n -> n.node().id()).filter(id -> !id.equals(from.id()))
                    .sorted(Comparator.comparing(id -> id, target::compareDistance)).limit(20).toList();
            assertEquals(expected, r.nodes().stream().map(n -> n.id()).toList());
        }
    }

    @Test
    @Order(2)
    void peersVerifyEachOthersRestfsInfoAndHoldData() throws Exception {
        DhtNode n = nodes.get(4).node();
        List<Contact> contacts = await(n.contacts());
        assertTrue(contacts.stream().allMatch(c -> c.kind() == PeerKind.RESTFS), "every peer verified: " + contacts);
        List<DataHolder> holders = await(n.closestDataHolders(NodeId.random(random), 5));
        assertEquals(5, holders.size());
        for (DataHolder h : holders) {
            assertEquals(h.node().id(), h.info().nodeId(), "id is SHA-1 of the advertised key");
            assertEquals("rack-a", h.info().failureGroup());
            assertEquals(7000, h.info().shardPort());
        }
    }

    @Test
    @Order(3)
    void immutableItemPutOnOneNodeIsReadFromAnother() throws Exception {
        byte[] v = "12:Hello World!".getBytes(StandardCharsets.US_ASCII);
        PutResult put = await(nodes.get(3).node().putImmutable(v));
        assertTrue(put.storedOn().size() >= 10, "stored on " + put.storedOn().size() + " of the closest");
        assertTrue(put.refusals().isEmpty(), put.refusals().toString());
        Optional<Item> got = await(nodes.get(17).node().get(NodeId.sha1(v)));
        assertArrayEquals(v, got.orElseThrow().value());
        assertInstanceOf(Item.Immutable.class, got.get());
    }

    @Test
    @Order(4)
    void mutableItemHonoursSequenceAndCompareAndSwap() throws Exception {
        Ed25519KeyPair owner = newKey();
        byte[] salt = "profile".getBytes(StandardCharsets.US_ASCII);
        DhtNode writer = nodes.get(8).node();
        DhtNode reader = nodes.get(21).node();
        PutResult first = await(writer.putMutable(owner, salt, 1, "2:v1".getBytes(), OptionalLong.empty()));
        assertFalse(first.storedOn().isEmpty());
        Item.Mutable got = (Item.Mutable) await(reader.getMutable(owner.publicKey(), salt)).orElseThrow();
        assertEquals(1, got.seq());
        assertArrayEquals("2:v1".getBytes(), got.value());

        PutResult second = await(writer.putMutable(owner, salt, 2, "2:v2".getBytes(), OptionalLong.of(1)));
        assertFalse(second.storedOn().isEmpty());
        assertTrue(second.refusals().isEmpty(), second.refusals().toString());

        PutResult staleCas = await(writer.putMutable(owner, salt, 3, "2:v3".getBytes(), OptionalLong.of(1)));
        assertTrue(staleCas.storedOn().isEmpty());
        assertTrue(staleCas.refusedWith(KrpcError.CAS_MISMATCH), staleCas.refusals().toString());

        PutResult lowSeq = await(writer.putMutable(owner, salt, 1, "2:v0".getBytes(), OptionalLong.empty()));
        assertTrue(lowSeq.storedOn().isEmpty());
        assertTrue(lowSeq.refusedWith(KrpcError.SEQ_LESS_THAN_CURRENT), lowSeq.refusals().toString());

        Item.Mutable latest = (Item.Mutable) await(reader.getMutable(owner.publicKey(), salt)).orElseThrow();
        assertEquals(2, latest.seq());
        assertArrayEquals("2:v2".getBytes(), latest.value());
    }

    @Test
    @Order(4)
    void aWriterAmongTheClosestHoldsTheItemItselfUnderTheSameCompareAndSwap() throws Exception {
        Ed25519KeyPair owner = newKey();
        byte[] salt = "holding".getBytes(StandardCharsets.US_ASCII);
        NodeId target = io.restfs.dht.crypto.Bep44.mutableTarget(owner.publicKey(), salt);
        List<DhtNode> byDistance = nodes.stream().map(UdpDht::node)
                .sorted(Comparator.comparing(DhtNode::id, target::compareDistance)).toList();
        DhtNode near = byDistance.get(0);
        DhtNode far = byDistance.get(NODES - 1);
        int k = CONFIG.k();

        PutResult first = await(near.putMutableHolding(owner, salt, 1, "2:h1".getBytes(), OptionalLong.empty(), 2));
        assertTrue(first.storedOn().stream().anyMatch(n -> n.id().equals(near.id())), first.storedOn().toString());
        assertEquals(k, first.storedOn().size() + first.refusals().size(), "the k closest, itself one of them");
        assertEquals(byDistance.subList(0, k).stream().map(DhtNode::id).sorted().toList(),
                first.storedOn().stream().map(n -> n.id()).sorted().toList());

        // Its own copy refuses a stale swap like any holder's.
        PutResult stale = await(near.putMutableHolding(owner, salt, 2, "2:h2".getBytes(), OptionalLong.of(0), 2));
        assertTrue(stale.storedOn().isEmpty(), stale.storedOn().toString());
        assertTrue(stale.refusals().stream().anyMatch(r -> r.node().id().equals(near.id())
                && r.code() == KrpcError.CAS_MISMATCH), stale.refusals().toString());

        // A writer outside the k closest holds nothing itself; the holders are the same k.
        PutResult second = await(far.putMutableHolding(owner, salt, 2, "2:h2".getBytes(), OptionalLong.of(1), 2));
        assertEquals(first.storedOn().stream().map(n -> n.id()).sorted().toList(),
                second.storedOn().stream().map(n -> n.id()).sorted().toList());
        Item.Mutable read = (Item.Mutable) await(near.getMutable(owner.publicKey(), salt)).orElseThrow();
        assertEquals(2, read.seq());

        // Fewer holders than asked for: nothing is stored anywhere, and nothing is listed.
        PutResult tooFew = await(near.putMutableHolding(owner, salt, 3, "2:h3".getBytes(), OptionalLong.of(2), k + 1));
        assertTrue(tooFew.storedOn().isEmpty() && tooFew.refusals().isEmpty(), tooFew.toString());
        assertEquals(2, ((Item.Mutable) await(far.getMutable(owner.publicKey(), salt)).orElseThrow()).seq());
        assertInstanceOf(IllegalArgumentException.class, org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> await(near.putMutableHolding(owner, salt, 3,
                        "2:h3".getBytes(), OptionalLong.of(2), 0))).getCause());
    }

    @Test
    @Order(5)
    void restartedNodeReloadsItsRoutingTableAndItems() throws Exception {
        byte[] v = "i20261123e".getBytes(StandardCharsets.US_ASCII);
        NodeId target = NodeId.sha1(v);
        await(nodes.get(2).node().putImmutable(v));
        // Restart the node that holds the item and is closest to it.
        int holder = -1;
        for (int i = 0; i < NODES; i++) {
            if (i != 2 && (holder < 0 || target.compareDistance(nodes.get(i).node().id(), nodes.get(holder).node().id()) < 0)) {
                holder = i;
            }
        }
        DhtNode before = nodes.get(holder).node();
        DhtStats statsBefore = await(before.stats());
        assertTrue(statsBefore.storedItems() >= 1);
        InetSocketAddress address = before.localAddress();
        nodes.get(holder).close();

        UdpDht restarted = UdpDht.open(CONFIG, keys.get(holder), address, Optional.of(stateRoot.resolve("n" + holder)));
        nodes.set(holder, restarted);
        DhtStats statsAfter = await(restarted.node().stats());
        assertEquals(statsBefore.storedItems(), statsAfter.storedItems(), "items reloaded");
        assertTrue(statsAfter.routingTableSize() >= statsBefore.routingTableSize() - 2,
                "routing table reloaded: " + statsAfter.routingTableSize() + " of " + statsBefore.routingTableSize());
        // With no bootstrap at all, the restarted node can look up and serve its item.
        LookupResult r = await(restarted.node().lookup(target));
        assertEquals(20, r.closest().size());
        assertArrayEquals(v, await(restarted.node().get(target)).orElseThrow().value());
    }
}
