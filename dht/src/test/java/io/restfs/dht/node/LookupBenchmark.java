package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.transport.MemoryNetwork;

import java.util.List;

/**
 * Lookup cost on the in-memory network in virtual time (run by hand, not a test):
 * {@code java -cp <test-classes>:<classes>:<deps> io.restfs.dht.node.LookupBenchmark [nodes] [lookups] [seed]}.
 * Prints exactness against the true k closest, hops, queries and virtual duration per lookup.
 */
public final class LookupBenchmark {
    private LookupBenchmark() {
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        MemoryCluster cluster = new MemoryCluster(seed, DhtConfig.defaults(), 5, 40);
        long t0 = System.nanoTime();
        cluster.grow(nodes);
        long grown = System.nanoTime();
        int exact = 0;
        long hops = 0;
        long queries = 0;
        long virtualMillis = 0;
        int maxHops = 0;
        for (int i = 0; i < lookups; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(cluster.seeds.nextInt(cluster.nodes.size()));
            LookupResult r = cluster.await(from.lookup(target), 120_000);
            List<NodeId> expected = MemoryCluster.trueClosest(target,
                    cluster.nodes.stream().filter(n -> n != from).toList(), cluster.config.k());
            if (r.nodes().stream().map(n -> n.id()).toList().equals(expected)) {
                exact++;
            }
            hops += r.hops();
            maxHops = Math.max(maxHops, r.hops());
            queries += r.queriesSent();
            virtualMillis += r.durationMillis();
        }
        long done = System.nanoTime();
        MemoryNetwork net = cluster.network;
        System.out.printf("nodes=%d lookups=%d seed=%d exact=%d/%d hops_avg=%.2f hops_max=%d queries_avg=%.1f "
                        + "virtual_ms_avg=%.0f packets=%d build_s=%.1f lookups_s=%.2f%n",
                nodes, lookups, seed, exact, lookups, hops / (double) lookups, maxHops, queries / (double) lookups,
                virtualMillis / (double) lookups, net.delivered(), (grown - t0) / 1e9, (done - grown) / 1e9);
    }
}
