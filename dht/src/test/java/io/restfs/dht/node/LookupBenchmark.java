package io.restfs.dht.node;

import io.restfs.dht.crypto.CachingSignatureVerifier;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.transport.MemoryNetwork;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Lookup cost on the in-memory network in virtual time (run by hand, not a test):
 * {@code java -cp <test-classes>:<classes>:<deps> io.restfs.dht.node.LookupBenchmark [nodes] [lookups] [seed]
 * [uniform|lognormal] [memo]}. Latency is uniform 5-40 ms one way by default, or log-normal (median 50 ms, sigma
 * 0.5); {@code memo} shares one {@link CachingSignatureVerifier} among the nodes, as the simulator can. Prints
 * exactness against the true k closest, hops, queries and virtual duration per lookup, and the CPU seconds of the
 * thread that ran the cluster (building it, then the lookups).
 */
public final class LookupBenchmark {
    private LookupBenchmark() {
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        boolean logNormal = args.length > 3 && args[3].equals("lognormal");
        boolean memo = args.length > 4 && args[4].equals("memo");
        MemoryCluster cluster = logNormal
                ? new MemoryCluster(seed, DhtConfig.defaults(), MemoryNetwork.Latency.logNormal(50, 0.5))
                : new MemoryCluster(seed, DhtConfig.defaults(), 5, 40);
        if (memo) {
            cluster.verifier = new CachingSignatureVerifier(4 * nodes);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        cluster.grow(nodes);
        long grown = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        int exact = 0;
        long hops = 0;
        long queries = 0;
        long virtualMillis = 0;
        int maxHops = 0;
        long checkNanos = 0;
        for (int i = 0; i < lookups; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(cluster.seeds.nextInt(cluster.nodes.size()));
            LookupResult r = cluster.await(from.lookup(target), 120_000);
            long k0 = cpu.getCurrentThreadCpuTime();
            List<NodeId> expected = MemoryCluster.trueClosest(target,
                    cluster.nodes.stream().filter(n -> n != from).toList(), cluster.config.k());
            if (r.nodes().stream().map(n -> n.id()).toList().equals(expected)) {
                exact++;
            }
            checkNanos += cpu.getCurrentThreadCpuTime() - k0;
            hops += r.hops();
            maxHops = Math.max(maxHops, r.hops());
            queries += r.queriesSent();
            virtualMillis += r.durationMillis();
        }
        long done = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        MemoryNetwork net = cluster.network;
        System.out.printf("nodes=%d lookups=%d seed=%d latency=%s memo=%s exact=%d/%d hops_avg=%.2f hops_max=%d "
                        + "queries_avg=%.1f virtual_ms_avg=%.0f packets=%d build_s=%.1f lookups_s=%.2f "
                        + "build_cpu_s=%.1f lookups_cpu_s=%.2f%n",
                nodes, lookups, seed, logNormal ? "lognormal" : "uniform", memo, exact, lookups,
                hops / (double) lookups, maxHops, queries / (double) lookups, virtualMillis / (double) lookups,
                net.delivered(), (grown - t0) / 1e9, (done - grown) / 1e9, (c1 - c0) / 1e9,
                (c2 - c1 - checkNanos) / 1e9);
    }
}
