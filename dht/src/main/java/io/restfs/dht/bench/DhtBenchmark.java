package io.restfs.dht.bench;

import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Lookup quality and cost of real DHT nodes: starts {@code nodes} production-wired nodes ({@link UdpDht}: own UDP
 * socket, own logic thread) on loopback in this process, joins them through one bootstrap node, then runs random
 * lookups from random nodes and compares each answer with the true k closest, known from the full membership.
 *
 * <p>Hops are the engine's {@link LookupResult#hops()}: the longest chain of referrals from the lookup's seed
 * contacts (its own routing table's closest, hop 1) to any node among the final k. Lookup time is wall-clock time
 * from the call to the result, measured by this harness.
 */
public final class DhtBenchmark {
    /** A lookup that takes longer than this on loopback is broken, not slow. */
    static final long LOOKUP_WAIT_SECONDS = 60;
    /** Joins run this many at a time: the one bootstrap node answers them all. */
    static final int JOIN_BATCH = 16;

    /**
     * @param nodes       nodes to start (at least k + 2, so every lookup has k others to find)
     * @param lookups     random lookups to run after the join
     * @param k           bucket size and lookup width
     * @param alpha       lookup queries in flight
     * @param concurrency lookups in flight at once (1 measures each lookup alone)
     * @param seed        seed of the node keys, the lookup origins and targets
     */
    public record Options(int nodes, int lookups, int k, int alpha, int concurrency, long seed) {
        public static final int DEFAULT_NODES = 200;
        public static final int DEFAULT_LOOKUPS = 1000;
        public static final int DEFAULT_CONCURRENCY = 4;

        public Options {
            if (k < 1 || k > 64) {
                throw new IllegalArgumentException("k must be 1-64, got " + k);
            }
            if (nodes < k + 2) {
                throw new IllegalArgumentException("need at least k + 2 = " + (k + 2) + " nodes, got " + nodes);
            }
            if (nodes > 2000) {
                // Each node owns two threads and a socket; beyond this one process is the bottleneck, not the DHT.
                throw new IllegalArgumentException("at most 2000 nodes in one process, got " + nodes);
            }
            if (lookups < 1 || alpha < 1 || concurrency < 1) {
                throw new IllegalArgumentException("lookups, alpha and concurrency must be positive");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_NODES, DEFAULT_LOOKUPS, DhtConfig.defaults().k(), DhtConfig.DEFAULT_ALPHA,
                    DEFAULT_CONCURRENCY, 1);
        }
    }

    /**
     * The figures of one run.
     *
     * @param options            what was run
     * @param joinMillis         time to start and join every node
     * @param hopsMedian         median hops per lookup
     * @param hopsP90            90th percentile of hops
     * @param hopsMax            most hops any lookup took
     * @param timeMedianMillis   median lookup time
     * @param timeP99Millis      99th percentile of lookup time
     * @param queriesPerLookup   mean queries sent per lookup
     * @param messagesPerLookup  mean messages per lookup: queries sent plus responses received
     * @param exactShare         share of lookups whose answer held all of the true k closest nodes
     * @param meanTrueFound      mean number of the true k closest found per lookup
     * @param timeoutsPerLookup  mean queries per lookup that got no answer
     * @param hopsHistogram      lookups per hop count, index = hops
     */
    public record Result(Options options, long joinMillis, double hopsMedian, double hopsP90, int hopsMax,
                         double timeMedianMillis, double timeP99Millis, double queriesPerLookup,
                         double messagesPerLookup, double exactShare, double meanTrueFound,
                         double timeoutsPerLookup, List<Integer> hopsHistogram) {
    }

    private record Sample(int hops, double millis, int queries, int responses, int timeouts, int trueFound) {
    }

    /** The configuration every benchmark node runs: defaults, except a rate limit that lets one IP be everyone. */
    static DhtConfig config(Options o) {
        // All nodes share 127.0.0.1, so the per-IP limit must admit the whole cluster's traffic to one node.
        return DhtConfig.defaults().withK(o.k()).withAlpha(o.alpha()).withRateLimit(1_000_000, 1_000_000);
    }

    /** Runs the benchmark; {@code progress} gets a line per phase. */
    public Result run(Options o, Consumer<String> progress) throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(o.seed());
        DhtConfig config = config(o);
        List<UdpDht> nodes = new ArrayList<>(o.nodes());
        try {
            long joinStart = System.nanoTime();
            for (int i = 0; i < o.nodes(); i++) {
                byte[] seed = new byte[32];
                random.nextBytes(seed);
                nodes.add(UdpDht.open(config, Ed25519KeyPair.fromSeed(seed),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty()));
            }
            progress.accept(o.nodes() + " nodes listening on loopback");
            InetSocketAddress bootstrap = nodes.get(0).node().localAddress();
            for (int from = 1; from < o.nodes(); from += JOIN_BATCH) {
                List<CompletableFuture<Integer>> joins = new ArrayList<>();
                for (int i = from; i < Math.min(o.nodes(), from + JOIN_BATCH); i++) {
                    joins.add(nodes.get(i).node().bootstrap(List.of(bootstrap)));
                }
                for (CompletableFuture<Integer> j : joins) {
                    await(j, "join");
                }
            }
            // Early joiners met few nodes: one more self-lookup each fills their near buckets, as Kademlia's
            // periodic bucket refresh would in a long-running network.
            for (int from = 0; from < o.nodes(); from += JOIN_BATCH) {
                List<CompletableFuture<LookupResult>> refresh = new ArrayList<>();
                for (int i = from; i < Math.min(o.nodes(), from + JOIN_BATCH); i++) {
                    refresh.add(nodes.get(i).node().lookup(nodes.get(i).node().id()));
                }
                for (CompletableFuture<LookupResult> r : refresh) {
                    await(r, "refresh");
                }
            }
            long joinMillis = (System.nanoTime() - joinStart) / 1_000_000;
            progress.accept("joined in " + joinMillis + " ms; running " + o.lookups() + " lookups");

            List<NodeId> members = nodes.stream().map(n -> n.node().id()).toList();
            List<Sample> samples = new ArrayList<>(o.lookups());
            int started = 0;
            while (started < o.lookups()) {
                int batch = Math.min(o.concurrency(), o.lookups() - started);
                List<CompletableFuture<Sample>> running = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    DhtNode origin = nodes.get(random.nextInt(o.nodes())).node();
                    NodeId target = NodeId.random(random);
                    running.add(measure(origin, target, members, o.k()));
                }
                for (CompletableFuture<Sample> s : running) {
                    samples.add(await(s, "lookup"));
                }
                started += batch;
                if (started % 250 == 0 && started < o.lookups()) {
                    progress.accept(started + " lookups done");
                }
            }
            return summarize(o, joinMillis, samples);
        } finally {
            progress.accept("stopping " + nodes.size() + " nodes");
            nodes.parallelStream().forEach(UdpDht::close);
        }
    }

    private static CompletableFuture<Sample> measure(DhtNode origin, NodeId target, List<NodeId> members, int k) {
        long start = System.nanoTime();
        return origin.lookup(target).thenApply(r -> {
            double millis = (System.nanoTime() - start) / 1e6;
            Set<NodeId> truth = new HashSet<>(members.stream().filter(id -> !id.equals(origin.id()))
                    .sorted(Comparator.comparing(id -> id, target::compareDistance)).limit(k).toList());
            int found = 0;
            for (NodeInfo n : r.nodes()) {
                if (truth.contains(n.id())) {
                    found++;
                }
            }
            return new Sample(r.hops(), millis, r.queriesSent(), r.responses(), r.timeouts(), found);
        });
    }

    static Result summarize(Options o, long joinMillis, List<Sample> samples) {
        int n = samples.size();
        double[] hops = samples.stream().mapToDouble(Sample::hops).sorted().toArray();
        double[] times = samples.stream().mapToDouble(Sample::millis).sorted().toArray();
        int maxHops = (int) hops[n - 1];
        Integer[] histogram = new Integer[maxHops + 1];
        Arrays.fill(histogram, 0);
        for (Sample s : samples) {
            histogram[s.hops()]++;
        }
        long exact = samples.stream().filter(s -> s.trueFound() == o.k()).count();
        return new Result(o, joinMillis, percentile(hops, 0.5), percentile(hops, 0.9), maxHops,
                percentile(times, 0.5), percentile(times, 0.99),
                samples.stream().mapToInt(Sample::queries).average().orElse(0),
                samples.stream().mapToInt(s -> s.queries() + s.responses()).average().orElse(0),
                (double) exact / n, samples.stream().mapToInt(Sample::trueFound).average().orElse(0),
                samples.stream().mapToInt(Sample::timeouts).average().orElse(0), List.of(histogram));
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least {@code q} of them at or below. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws IOException, InterruptedException {
        try {
            return f.get(LOOKUP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " did not finish in " + LOOKUP_WAIT_SECONDS + " s");
        }
    }
}
