package io.restfs.dht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.interop.BittorrentDhtProcess.JsNode;
import io.restfs.dht.items.Item;
import io.restfs.dht.krpc.FindNodeQuery;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DataHolder;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.PutResult;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.Liveness;
import io.restfs.dht.routing.PeerKind;
import io.restfs.dht.rpc.RpcTimeouts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * restfs DHT nodes and nodes of the npm bittorrent-dht package (version pinned in src/test/js/package-lock.json)
 * on loopback, each implementation serving the other: ping and find_node both ways, lookups that can only reach
 * their target through the other implementation's nodes, and BEP 44 immutable and mutable items put by one and
 * read by the other from holders of the other implementation only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BittorrentDhtInteropTest {
    /** Every node sits on 127.0.0.1, so the per-IP rate limit must not throttle the test; loopback answers fast. */
    private static final DhtConfig CONFIG = DhtConfig.defaults()
            .withTimeouts(new RpcTimeouts(300, 50, 1_000, 2))
            .withRateLimit(100_000, 100_000);
    private static final long WAIT_SECONDS = 20;

    private final SplittableRandom random = new SplittableRandom(44);
    private final List<UdpDht> restfsNodes = new ArrayList<>();
    private BittorrentDhtProcess js;
    private Optional<String> missing = Optional.empty();

    @BeforeAll
    void startBittorrentDht(@TempDir Path logs) throws Exception {
        missing = BittorrentDhtProcess.missingPieces();
        if (missing.isEmpty()) {
            js = BittorrentDhtProcess.start(logs);
        }
    }

    @BeforeEach
    void requireBittorrentDht() {
        // Each test is reported skipped, with what to install, rather than the class vanishing from the counts.
        Assumptions.assumeTrue(missing.isEmpty(), () -> missing.orElse(""));
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            restfsNodes.forEach(UdpDht::close);
        } finally {
            if (js != null) {
                js.close();
            }
        }
    }

    private DhtNode restfsNode() throws Exception {
        return restfsNode(CONFIG);
    }

    private DhtNode restfsNode(DhtConfig config) throws Exception {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        UdpDht n = UdpDht.open(config, Ed25519KeyPair.fromSeed(seed),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty());
        restfsNodes.add(n);
        return n.node();
    }

    private Ed25519KeyPair newKey() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Ed25519KeyPair.fromSeed(seed);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] bencodedString(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return (b.length + ":" + text).getBytes(StandardCharsets.UTF_8);
    }

    private static Set<NodeId> ids(JsonNode contacts) {
        Set<NodeId> out = new java.util.TreeSet<>();
        contacts.forEach(c -> out.add(NodeId.fromHex(c.get("id").asText())));
        return out;
    }

    // ------------------------------------------------------------------------------------------ ping, find_node

    @Test
    void restfsPingIsAnsweredByBittorrentDht() throws Exception {
        JsNode j = js.startNode();
        DhtNode r = restfsNode();
        assertEquals(j.id(), await(r.ping(j.address())));
    }

    @Test
    void bittorrentDhtPingIsAnsweredByRestfs() throws Exception {
        JsNode j = js.startNode();
        DhtNode r = restfsNode();
        JsonNode a = js.call(js.command("ping").put("node", j.index()).put("port", r.localAddress().getPort()));
        assertEquals(r.id(), NodeId.fromHex(a.get("id").asText()));
    }

    @Test
    void restfsFindNodeIsAnsweredByBittorrentDht() throws Exception {
        JsNode j = js.startNode();
        NodeId known = NodeId.random(random);
        js.addContact(j, known, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001));
        // One find_node through restfs's own codec over a plain socket: the answer must decode strictly and name
        // the contact the JS node was given.
        KrpcCodec codec = new KrpcCodec();
        NodeId self = NodeId.random(random);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5_000);
            byte[] query = codec.encode(new FindNodeQuery(TransactionId.ofShort(0x4a4a), self, known));
            socket.send(new DatagramPacket(query, query.length, j.address()));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            socket.receive(in);
            KrpcDecodeResult result = codec.decode(java.util.Arrays.copyOf(in.getData(), in.getLength()));
            KrpcResponse response = assertInstanceOf(KrpcResponse.class,
                    assertInstanceOf(KrpcDecodeResult.Decoded.class, result).message());
            assertEquals(TransactionId.ofShort(0x4a4a), response.transactionId());
            assertEquals(j.id(), response.responder());
            assertTrue(response.nodes().contains(new NodeInfo(known,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001))), response.toString());
        }
    }

    @Test
    void bittorrentDhtFindNodeIsAnsweredByRestfs() throws Exception {
        DhtNode r = restfsNode();
        DhtNode peer = restfsNode();
        assertEquals(peer.id(), await(r.ping(peer.localAddress())));
        JsNode j = js.startNode();
        JsonNode a = js.call(js.command("find_node").put("node", j.index()).put("port", r.localAddress().getPort())
                .put("target", peer.id().toHex()));
        assertEquals(r.id(), NodeId.fromHex(a.get("id").asText()));
        JsonNode first = a.get("nodes").get(0);
        assertEquals(peer.id(), NodeId.fromHex(first.get("id").asText()), a.toString());
        assertEquals(peer.localAddress().getPort(), first.get("port").asInt());
    }

    @Test
    void bittorrentDhtNodeStaysARoutingPeerButIsNeverChosenToHoldData() throws Exception {
        // bittorrent-dht drops queries it does not know (restfs_info) without an answer, unlike a 204 error.
        DhtNode r = restfsNode();
        DhtNode restfsPeer = restfsNode(CONFIG.withShardEndpoint("127.0.0.1", 7000, "rack-a"));
        JsNode j = js.startNode();
        assertEquals(restfsPeer.id(), await(r.ping(restfsPeer.localAddress())));
        assertEquals(j.id(), await(r.ping(j.address())));

        Contact seen = awaitKind(r, j.id(), PeerKind.ROUTING_ONLY);
        List<DataHolder> holders = await(r.closestDataHolders(j.id(), 5));

        assertEquals(Liveness.GOOD, seen.liveness(), seen.toString());
        assertEquals(List.of(restfsPeer.id()), holders.stream().map(h -> h.node().id()).toList(),
                "only the verified restfs peer may hold data, even for the JS node's own id");
        LookupResult viaJs = await(r.lookup(NodeId.random(random)));
        assertTrue(viaJs.nodes().stream().anyMatch(n -> n.id().equals(j.id())), "still used for routing: " + viaJs);
    }

    @Test
    void bittorrentDhtNodeWhoseFirstContactIsItsOwnQueryStaysAGoodRoutingPeer() throws Exception {
        // The JS node queries first, so it has answered nothing when restfs_info (which it drops) goes out; only
        // the ping sent once restfs_info has gone unanswered may judge its liveness.
        DhtNode r = restfsNode();
        JsNode j = js.startNode();
        js.call(js.command("ping").put("node", j.index()).put("port", r.localAddress().getPort()));

        Contact seen = awaitKind(r, j.id(), PeerKind.ROUTING_ONLY);

        assertEquals(Liveness.GOOD, seen.liveness(), seen.toString());
        // A read-only querier (so it is not added itself) asks for the JS node's id and must be told about it.
        KrpcCodec codec = new KrpcCodec();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5_000);
            byte[] query = codec.encode(new FindNodeQuery(TransactionId.ofShort(0x5a5a), NodeId.random(random),
                    j.id(), true));
            socket.send(new DatagramPacket(query, query.length, r.localAddress()));
            DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
            socket.receive(in);
            KrpcResponse response = assertInstanceOf(KrpcResponse.class, assertInstanceOf(KrpcDecodeResult.Decoded.class,
                    codec.decode(java.util.Arrays.copyOf(in.getData(), in.getLength()))).message());
            assertTrue(response.nodes().stream().anyMatch(n -> n.id().equals(j.id())),
                    "the JS node is handed out in find_node answers: " + response.nodes());
        }
    }

    private static Contact awaitKind(DhtNode node, NodeId peer, PeerKind kind) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Optional<Contact> c = Optional.empty();
        while (System.nanoTime() < deadline) {
            c = await(node.contacts()).stream().filter(x -> x.id().equals(peer)).findFirst();
            if (c.isPresent() && c.get().kind() == kind) {
                return c.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(peer + " never became " + kind + ": " + c);
    }

    // ------------------------------------------------------------------------------------------ routing

    @Test
    void restfsLookupReachesItsTargetOnlyThroughBittorrentDhtNodes() throws Exception {
        // restfs A knows only J1; J1 knows only J2; J2 knows only restfs B. B can be found only via two JS hops.
        DhtNode b = restfsNode();
        JsNode j2 = js.startNode();
        js.addContact(j2, b.id(), b.localAddress());
        JsNode j1 = js.startNode();
        js.addContact(j1, j2.id(), j2.address());
        DhtNode a = restfsNode();
        assertEquals(j1.id(), await(a.ping(j1.address())));
        assertEquals(List.of(j1.id()), await(a.contacts()).stream().map(Contact::id).toList());

        LookupResult result = await(a.lookup(b.id()));

        LookupResult.Answered found = result.closest().get(0);
        assertEquals(b.id(), found.node().id(), "closest answer: " + result);
        assertEquals(3, found.hop(), "B is a referral of J2, itself a referral of J1: " + result);
        Set<NodeId> answered = result.nodes().stream().map(NodeInfo::id).collect(Collectors.toSet());
        assertTrue(answered.containsAll(List.of(j1.id(), j2.id(), b.id())), result.toString());
    }

    @Test
    void bittorrentDhtLookupReachesItsTargetOnlyThroughRestfsNodes() throws Exception {
        // JS JA knows only restfs R1; R1 knows only restfs R2; R2 knows only JS JB.
        JsNode jb = js.startNode();
        DhtNode r2 = restfsNode();
        assertEquals(jb.id(), await(r2.ping(jb.address())));
        DhtNode r1 = restfsNode();
        assertEquals(r2.id(), await(r1.ping(r2.localAddress())));
        JsNode ja = js.startNode();
        js.addContact(ja, r1.id(), r1.localAddress());
        assertEquals(Set.of(r1.id()), ids(js.call(js.command("table").put("node", ja.index())).get("nodes")));

        JsonNode a = js.call(js.command("lookup").put("node", ja.index()).put("target", jb.id().toHex()));

        Set<NodeId> responders = ids(a.get("responders"));
        assertTrue(responders.containsAll(List.of(r1.id(), r2.id(), jb.id())),
                "JB is reachable only through R1 and R2: " + a);
    }

    // ------------------------------------------------------------------------------------------ BEP 44

    /** Three restfs holders that know each other, plus a JS node that knows only the first and holds nothing. */
    private record RestfsHolders(List<DhtNode> holders, JsNode reader) {
    }

    private RestfsHolders restfsHoldersWithJsReader() throws Exception {
        DhtNode s1 = restfsNode();
        DhtNode s2 = restfsNode();
        DhtNode s3 = restfsNode();
        await(s2.bootstrap(List.of(s1.localAddress())));
        await(s3.bootstrap(List.of(s1.localAddress())));
        await(s1.lookup(s1.id()));
        JsNode reader = js.startNode();
        js.addContact(reader, s1.id(), s1.localAddress());
        return new RestfsHolders(List.of(s1, s2, s3), reader);
    }

    /** Three JS holders that know each other, plus a restfs node that knows only the first. */
    private record JsHolders(List<JsNode> holders, DhtNode reader) {
    }

    private JsHolders jsHolders() throws Exception {
        JsNode k1 = js.startNode();
        JsNode k2 = js.startNode(k1.address());
        JsNode k3 = js.startNode(k1.address(), k2.address());
        return new JsHolders(List.of(k1, k2, k3), restfsNode());
    }

    private static Set<Integer> ports(List<DhtNode> nodes) {
        return nodes.stream().map(n -> n.localAddress().getPort()).collect(Collectors.toSet());
    }

    private static void assertServedOnlyBy(Set<Integer> holders, JsonNode getAnswer) {
        JsonNode from = getAnswer.get("from");
        assertTrue(from.size() > 0, "no remote node answered with the value: " + getAnswer);
        from.forEach(p -> assertTrue(holders.contains(p.asInt()), "value served by a non-holder: " + getAnswer));
    }

    @Test
    void immutableItemPutByRestfsIsReadByBittorrentDht() throws Exception {
        RestfsHolders net = restfsHoldersWithJsReader();
        PutResult put = await(net.holders().get(0).putImmutable(bencodedString("stored by restfs")));
        assertEquals(2, put.storedOn().size(), "the two other restfs nodes hold it: " + put);

        JsonNode got = js.call(js.command("get").put("node", net.reader().index()).put("target", put.target().toHex()));

        assertTrue(got.get("found").asBoolean(), got.toString());
        assertEquals("stored by restfs", got.get("v").asText());
        assertServedOnlyBy(ports(net.holders()), got);
    }

    @Test
    void mutableItemPutByRestfsIsVerifiedAndReadByBittorrentDht() throws Exception {
        RestfsHolders net = restfsHoldersWithJsReader();
        Ed25519KeyPair owner = newKey();
        byte[] salt = "restfs-salt".getBytes(StandardCharsets.UTF_8);
        PutResult put = await(net.holders().get(0).putMutable(owner, salt, 7, bencodedString("signed by restfs"),
                OptionalLong.empty()));
        assertEquals(Bep44.mutableTarget(owner.publicKey(), salt), put.target());
        assertEquals(2, put.storedOn().size(), put.toString());

        JsonNode got = js.call(js.command("get").put("node", net.reader().index()).put("target", put.target().toHex())
                .put("salt", "restfs-salt"));

        // bittorrent-dht returns a mutable item only when its verify (Node's Ed25519) accepts restfs's signature.
        assertTrue(got.get("found").asBoolean(), got.toString());
        assertEquals("signed by restfs", got.get("v").asText());
        assertEquals(7, got.get("seq").asLong());
        assertServedOnlyBy(ports(net.holders()), got);
    }

    @Test
    void immutableItemPutByBittorrentDhtIsReadByRestfs() throws Exception {
        JsHolders net = jsHolders();
        JsonNode put = js.call(js.command("put").put("node", net.holders().get(0).index()).put("v", "stored by js"));
        assertTrue(put.get("stored").asInt() >= 2, put.toString());
        NodeId target = NodeId.fromHex(put.get("target").asText());
        // The reader joins after the put, so it holds nothing and no restfs node was asked to store it.
        assertEquals(net.holders().get(0).id(), await(net.reader().ping(net.holders().get(0).address())));

        Optional<Item> got = await(net.reader().get(target));

        Item item = got.orElseThrow(() -> new AssertionError("restfs found no item under " + target));
        assertArrayEquals(bencodedString("stored by js"), item.value());
        assertEquals(target, item.target());
    }

    @Test
    void mutableItemPutByBittorrentDhtIsVerifiedAndReadByRestfs() throws Exception {
        JsHolders net = jsHolders();
        Ed25519KeyPair owner = newKey();
        JsonNode put = js.call(js.command("put").put("node", net.holders().get(0).index()).put("v", "signed by js")
                .put("seed", HexFormat.of().formatHex(owner.seed())).put("seq", 5));
        assertTrue(put.get("stored").asInt() >= 2, put.toString());
        assertEquals(HexFormat.of().formatHex(owner.publicKey()), put.get("k").asText(),
                "Node's Ed25519 derives the same public key from the seed");
        assertEquals(net.holders().get(0).id(), await(net.reader().ping(net.holders().get(0).address())));

        Optional<Item> got = await(net.reader().getMutable(owner.publicKey(), new byte[0]));

        Item.Mutable item = assertInstanceOf(Item.Mutable.class,
                got.orElseThrow(() -> new AssertionError("restfs found no mutable item of " + owner)));
        assertArrayEquals(bencodedString("signed by js"), item.value());
        assertEquals(5, item.seq());
        assertTrue(Bep44.verifyMutable(item.publicKey(), item.salt(), item.seq(), item.value(), item.signature()));
    }

    @Test
    void itemsPutByRestfsAreStoredByBittorrentDhtNodes() throws Exception {
        JsHolders net = jsHolders();
        DhtNode writer = net.reader();
        assertEquals(net.holders().get(0).id(), await(writer.ping(net.holders().get(0).address())));
        Set<NodeId> jsIds = net.holders().stream().map(JsNode::id).collect(Collectors.toSet());

        PutResult immutable = await(writer.putImmutable(bencodedString("kept by js")));
        PutResult mutable = await(writer.putMutable(newKey(), new byte[0], 1, bencodedString("kept by js, signed"),
                OptionalLong.empty()));

        for (PutResult put : List.of(immutable, mutable)) {
            assertTrue(put.refusals().isEmpty(), "bittorrent-dht refused: " + put.refusals());
            assertEquals(jsIds, put.storedOn().stream().map(NodeInfo::id).collect(Collectors.toSet()),
                    put.toString());
        }
        // And a JS node that stored nothing reads the mutable one back from them.
        JsNode fresh = js.startNode(net.holders().get(1).address());
        JsonNode got = js.call(js.command("get").put("node", fresh.index()).put("target", mutable.target().toHex()));
        assertEquals("kept by js, signed", got.get("v").asText(), got.toString());
    }

    @Test
    void itemsPutByBittorrentDhtAreStoredByRestfsNodes() throws Exception {
        RestfsHolders net = restfsHoldersWithJsReader();
        Ed25519KeyPair owner = newKey();

        JsonNode immutable = js.call(js.command("put").put("node", net.reader().index()).put("v", "kept by restfs"));
        JsonNode mutable = js.call(js.command("put").put("node", net.reader().index()).put("v", "kept by restfs, signed")
                .put("seed", HexFormat.of().formatHex(owner.seed())).put("seq", 9).put("salt", "s"));

        // The JS writer knows only S1 and learns S2, S3 from it: all three restfs nodes must accept both puts.
        assertEquals(3, immutable.get("stored").asInt(), immutable.toString());
        assertEquals(3, mutable.get("stored").asInt(), mutable.toString());
        for (DhtNode holder : net.holders()) {
            assertEquals(2, await(holder.stats()).storedItems(), "items held by " + holder.id());
        }
        DhtNode reader = restfsNode();
        await(reader.bootstrap(List.of(net.holders().get(1).localAddress())));
        Item.Mutable item = assertInstanceOf(Item.Mutable.class,
                await(reader.getMutable(owner.publicKey(), "s".getBytes(StandardCharsets.UTF_8))).orElseThrow());
        assertEquals(9, item.seq());
        assertFalse(item.value().length == 0);
    }
}
