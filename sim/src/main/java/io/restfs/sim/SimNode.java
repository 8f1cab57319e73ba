package io.restfs.sim;

import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.crypto.SignatureVerifier;
import io.restfs.dht.env.Environment;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.DhtStats;
import io.restfs.dht.persist.MemoryStateStore;
import io.restfs.dht.routing.Contact;
import io.restfs.sim.event.EventQueue;
import io.restfs.sim.event.Lanes;
import io.restfs.sim.event.NodeScheduler;
import io.restfs.sim.net.SimNetwork;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One simulated node: the engine's real {@link DhtNode} (routing table, RPC engine, lookups, item store, BEP 44
 * logic) running on a {@link NodeScheduler} of the shared virtual clock, with a transport on the simulated
 * network and an in-memory state store. This class only adapts the node's API for workloads; every protocol
 * decision is the engine's.
 */
public final class SimNode {
    /** The shard-transfer port simulated nodes advertise (nothing listens: the simulator moves no shards yet). */
    static final int SHARD_PORT = 7000;
    /**
     * A node talks to a few hundred peers in a lookup-heavy hour (measured: ~160 RTT estimates at 1,000 nodes). The
     * rate table holds a power of two (see FourWayTable).
     */
    private static final int SIM_MAX_RTT_PEERS = 300;
    private static final int SIM_MAX_PEER_INFOS = 300;
    private static final int SIM_MAX_RATE_LIMITED_SOURCES = 256;

    private final DhtNode dht;
    private final NodeScheduler scheduler;
    private final SimNetwork.SimTransport transport;
    private final NodeId id;
    private final Lanes lanes;
    private final int lane;

    /** A finished lookup as the simulator judges it: the ids returned, closest first, and its own cost. */
    public record LookupOutcome(List<NodeId> closest, int hops, int queries, int timeouts) {
    }

    private SimNode(DhtNode dht, NodeScheduler scheduler, SimNetwork.SimTransport transport, Lanes lanes, int lane) {
        this.dht = dht;
        this.scheduler = scheduler;
        this.transport = transport;
        this.id = dht.id();
        this.lanes = lanes;
        this.lane = lane;
    }

    /**
     * Starts a node on {@code transport}, in its slot's lane of {@code lanes}. Its key (and so its id, SHA-1 of the
     * public key, as restfs peers check) and every random choice it makes come from {@code random}, itself derived
     * from the run's seed.
     */
    static SimNode create(SimNetwork.SimTransport transport, int region, Lanes lanes, RandomGenerator random,
                          int k, int alpha, SignatureVerifier verifier) {
        int lane = lanes.laneOf(transport.slot());
        EventQueue queue = lanes.queue(lane);
        byte[] seed = new byte[Ed25519.SEED_BYTES];
        random.nextBytes(seed);
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
        NodeScheduler scheduler = new NodeScheduler(queue);
        Environment env = new Environment(queue, scheduler, random).withSignatureVerifier(verifier);
        // Every simulated node is a full restfs node with a shard endpoint (its own address) and its region as
        // failure group, as a deployed node would advertise in restfs_info.
        DhtConfig config = DhtConfig.defaults().withK(k).withAlpha(alpha).withShardEndpoint(
                transport.localAddress().getAddress().getHostAddress(), SHARD_PORT, "region-" + region)
                // Per-peer memory bounded to what a node of a large network needs, so 100,000 nodes fit in one heap;
                // the in-memory state store is written only when a node closes.
                .withMemoryBounds(SIM_MAX_RTT_PEERS, SIM_MAX_PEER_INFOS, SIM_MAX_RATE_LIMITED_SOURCES)
                .withContactSaveMillis(Long.MAX_VALUE);
        DhtNode dht = DhtNode.start(config, key, env, transport, new MemoryStateStore());
        return new SimNode(dht, scheduler, transport, lanes, lane);
    }

    public int slot() {
        return transport.slot();
    }

    public NodeId id() {
        return id;
    }

    /*
     * Every future below completes in a deferred action of the node's lane (see Lanes): the engine completes its
     * futures on the node's logic thread, which may be running beside other lanes, while what waits on them
     * (workloads, metrics, membership) is shared by the whole run.
     */

    /** The engine's own bootstrap through {@code via}: ping it, then look up our own id. True when it worked. */
    public CompletableFuture<Boolean> bootstrap(SimNode via) {
        return toSimulator(dht.bootstrap(List.of(via.transport.localAddress())).handle((size, error) -> error == null));
    }

    /** The engine's iterative find_node lookup of {@code target}. */
    public CompletableFuture<LookupOutcome> lookup(NodeId target) {
        return toSimulator(dht.lookup(target).thenApply(SimNode::outcome));
    }

    /** The node's routing table contacts, as the engine lists them. */
    public CompletableFuture<List<Contact>> contacts() {
        return toSimulator(dht.contacts());
    }

    /** The engine's own counters. */
    public CompletableFuture<DhtStats> stats() {
        return toSimulator(dht.stats());
    }

    private <T> CompletableFuture<T> toSimulator(CompletableFuture<T> onNode) {
        CompletableFuture<T> out = new CompletableFuture<>();
        onNode.whenComplete((value, error) -> lanes.defer(lane, () -> {
            if (error != null) {
                out.completeExceptionally(error);
            } else {
                out.complete(value);
            }
        }));
        return out;
    }

    private static LookupOutcome outcome(LookupResult r) {
        List<NodeInfo> nodes = r.nodes();
        List<NodeId> ids = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes) {
            ids.add(n.id());
        }
        return new LookupOutcome(ids, r.hops(), r.queriesSent(), r.timeouts());
    }

    /**
     * Publishes {@code payload} as an immutable BEP 44 item (bencoded as a byte string) through the engine's
     * publish API, which puts it now and republishes it on the engine's schedule while this node lives.
     * {@code onFirstPut} learns whether the first put reached at least one node. Returns the item's target.
     */
    public NodeId publishImmutable(byte[] payload, Consumer<Boolean> onFirstPut) {
        Item item = new Item.Immutable(bencodedString(payload));
        toSimulator(dht.publish(item)).whenComplete((result, error) ->
                onFirstPut.accept(error == null && !result.storedOn().isEmpty()));
        return item.target();
    }

    /** The engine's get of an immutable item: its payload when found (and verified against the target). */
    public CompletableFuture<Optional<byte[]>> getImmutable(NodeId target) {
        return toSimulator(dht.get(target).thenApply(found -> found.map(item -> payloadOf(item.value()))));
    }

    /** A crash: the node stops dead; its timers never fire and packets to it vanish. */
    void crash() {
        scheduler.stop();
        transport.close();
    }

    /**
     * A graceful leave: the engine's own close (it saves state, fails its pending calls and closes the
     * transport), after which the node's logic thread stops. Mainline KRPC has no goodbye message, so peers
     * notice a leave the same way they notice a crash: by silence.
     */
    void leave() {
        dht.close().whenComplete((v, e) -> scheduler.stop());
    }

    static byte[] bencodedString(byte[] payload) {
        byte[] prefix = (payload.length + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(payload, 0, out, prefix.length, payload.length);
        return out;
    }

    static byte[] payloadOf(byte[] bencoded) {
        int colon = 0;
        while (colon < bencoded.length && bencoded[colon] != ':') {
            colon++;
        }
        byte[] out = new byte[Math.max(0, bencoded.length - colon - 1)];
        System.arraycopy(bencoded, colon + 1, out, 0, out.length);
        return out;
    }
}
