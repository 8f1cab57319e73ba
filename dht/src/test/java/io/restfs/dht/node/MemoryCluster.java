package io.restfs.dht.node;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.crypto.SignatureVerifier;
import io.restfs.dht.env.Environment;
import io.restfs.dht.env.VirtualTime;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.persist.MemoryStateStore;
import io.restfs.dht.persist.StateStore;
import io.restfs.dht.transport.MemoryNetwork;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** Many DHT nodes on one in-memory network and one virtual clock, all derived from one seed. */
final class MemoryCluster {
    final VirtualTime time = new VirtualTime();
    final SplittableRandom seeds;
    final MemoryNetwork network;
    final List<DhtNode> nodes = new ArrayList<>();
    final List<Ed25519KeyPair> keys = new ArrayList<>();
    final DhtConfig config;
    /** Checks the signatures of nodes added from now on; replace it before adding nodes to share a memo. */
    SignatureVerifier verifier = SignatureVerifier.ED25519;

    MemoryCluster(long seed, DhtConfig config, long minLatency, long maxLatency) {
        this(seed, config, minLatency, maxLatency, 0);
    }

    /** A cluster whose network drops each packet with probability {@code loss}. */
    MemoryCluster(long seed, DhtConfig config, long minLatency, long maxLatency, double loss) {
        this.seeds = new SplittableRandom(seed);
        this.config = config;
        this.network = new MemoryNetwork(time, seeds.split(), minLatency, maxLatency, loss);
    }

    /** A cluster whose packets take {@code latency} each (e.g. log-normal, with a long tail of slow ones). */
    MemoryCluster(long seed, DhtConfig config, MemoryNetwork.Latency latency) {
        this.seeds = new SplittableRandom(seed);
        this.config = config;
        this.network = new MemoryNetwork(time, seeds.split(), latency, 0);
    }

    DhtNode add() {
        return add(new MemoryStateStore());
    }

    DhtNode add(StateStore state) {
        byte[] seed = new byte[32];
        seeds.nextBytes(seed);
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
        return add(key, network.nextAddress(), state);
    }

    /** Adds a node with settings of its own (e.g. a read-only one) instead of the cluster's. */
    DhtNode add(DhtConfig own) {
        byte[] seed = new byte[32];
        seeds.nextBytes(seed);
        return add(own, Ed25519KeyPair.fromSeed(seed), network.nextAddress(), new MemoryStateStore());
    }

    DhtNode add(Ed25519KeyPair key, InetSocketAddress address, StateStore state) {
        return add(config, key, address, state);
    }

    DhtNode add(DhtConfig own, Ed25519KeyPair key, InetSocketAddress address, StateStore state) {
        DhtNode node = DhtNode.start(own, key, new Environment(time, time, seeds.split()).withSignatureVerifier(verifier), network.attach(address),
                state);
        nodes.add(node);
        keys.add(key);
        time.advance(1);
        return node;
    }

    /** Adds {@code n} nodes, each bootstrapping from up to three earlier ones, spaced in time. */
    void grow(int n) {
        for (int i = 0; i < n; i++) {
            DhtNode node = add();
            if (nodes.size() > 1) {
                List<InetSocketAddress> boot = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    boot.add(nodes.get(seeds.nextInt(nodes.size() - 1)).localAddress());
                }
                node.bootstrap(boot);
            }
            time.advance(200);
        }
        time.advance(30_000);
    }

    <T> T await(CompletableFuture<T> f, long maxMillis) {
        if (!time.runUntil(f::isDone, time.nowMillis() + maxMillis)) {
            throw new AssertionError("not done within " + maxMillis + " ms of virtual time");
        }
        return f.join();
    }

    /** The true k closest ids among {@code among}. */
    static List<NodeId> trueClosest(NodeId target, List<DhtNode> among, int k) {
        return among.stream().map(DhtNode::id).sorted(Comparator.comparing(id -> id, target::compareDistance))
                .limit(k).toList();
    }
}
