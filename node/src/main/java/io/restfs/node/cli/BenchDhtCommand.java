package io.restfs.node.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.bench.DhtBenchmark;
import io.restfs.dht.bench.DhtBenchmark.Options;
import io.restfs.dht.bench.DhtBenchmark.Result;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs bench dht}: a thin adapter printing {@link DhtBenchmark}'s figures as text and JSON. */
@Command(
        name = "dht",
        mixinStandardHelpOptions = true,
        description = {
            "Measure DHT lookups: start N nodes on loopback UDP in this process, join them, run random lookups.",
            "Hops: the longest chain of referrals from a lookup's seed contacts (its own routing table's",
            "closest, hop 1) to any node among the final k. Messages: queries sent plus responses received.",
            "Exact: the share of lookups whose answer held all of the true k closest (from the full membership)."
        })
final class BenchDhtCommand implements Callable<Integer> {
    /** Targets from the DHT issue: median hops at most 3, p90 at most 4, at least 99% exact at 200 nodes. */
    static final double TARGET_HOPS_MEDIAN = 3;
    static final double TARGET_HOPS_P90 = 4;
    static final double TARGET_EXACT_SHARE = 0.99;

    @Option(names = "--nodes", defaultValue = "200", description = "Nodes to start (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--lookups", defaultValue = "1000", description = "Random lookups to run (default ${DEFAULT-VALUE}).")
    int lookups;

    @Option(names = "--k", defaultValue = "20", description = "Bucket size and lookup width (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--alpha", defaultValue = "3", description = "Lookup queries in flight (default ${DEFAULT-VALUE}).")
    int alpha;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Lookups in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seed of node keys, lookup origins and targets (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Also print one JSON object with every figure as the last line.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Options options;
        try {
            options = new Options(nodes, lookups, k, alpha, concurrency, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Each of the N nodes logs its start and join; the figures are what this command is for.
        System.setProperty("org.slf4j.simpleLogger.log.io.restfs.dht", "warn");
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "dht benchmark: %d nodes on loopback UDP, %d lookups, k=%d, alpha=%d, %d in flight, "
                + "seed %d%n", nodes, lookups, k, alpha, concurrency, seed);
        Result r;
        try {
            r = new DhtBenchmark().run(options, line -> System.err.println("bench dht: " + line));
        } catch (IOException e) {
            System.err.println("restfs bench dht: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("restfs bench dht: interrupted");
            return 130;
        }
        out.printf(Locale.ROOT, "  %-28s %d ms%n", "start and join", r.joinMillis());
        out.printf(Locale.ROOT, "  %-28s median %.0f, p90 %.0f, max %d   (target: median <= %.0f, p90 <= %.0f)%n",
                "hops", r.hopsMedian(), r.hopsP90(), r.hopsMax(), TARGET_HOPS_MEDIAN, TARGET_HOPS_P90);
        out.printf(Locale.ROOT, "  %-28s %s%n", "lookups by hops", r.hopsHistogram());
        out.printf(Locale.ROOT, "  %-28s median %.2f ms, p99 %.2f ms%n", "lookup time", r.timeMedianMillis(),
                r.timeP99Millis());
        out.printf(Locale.ROOT, "  %-28s %.1f (%.1f queries sent, %.2f unanswered)%n", "messages per lookup",
                r.messagesPerLookup(), r.queriesPerLookup(), r.timeoutsPerLookup());
        out.printf(Locale.ROOT, "  %-28s %.2f%% (mean %.2f of %d found)   (target: >= %.0f%%)%n",
                "found all true k closest", 100 * r.exactShare(), r.meanTrueFound(), k, 100 * TARGET_EXACT_SHARE);
        boolean met = r.hopsMedian() <= TARGET_HOPS_MEDIAN && r.hopsP90() <= TARGET_HOPS_P90
                && r.exactShare() >= TARGET_EXACT_SHARE;
        out.printf(Locale.ROOT, "  %-28s %s%n", "targets", met ? "met" : "MISSED");
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(r, met)));
        }
        return 0;
    }

    private static ObjectNode toJson(Result r, boolean met) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("benchmark", "dht");
        root.put("nodes", r.options().nodes());
        root.put("lookups", r.options().lookups());
        root.put("k", r.options().k());
        root.put("alpha", r.options().alpha());
        root.put("concurrency", r.options().concurrency());
        root.put("seed", r.options().seed());
        root.put("join_ms", r.joinMillis());
        root.put("hops_median", r.hopsMedian());
        root.put("hops_p90", r.hopsP90());
        root.put("hops_max", r.hopsMax());
        ArrayNode histogram = root.putArray("hops_histogram");
        r.hopsHistogram().forEach(histogram::add);
        root.put("lookup_ms_median", round(r.timeMedianMillis()));
        root.put("lookup_ms_p99", round(r.timeP99Millis()));
        root.put("messages_per_lookup", round(r.messagesPerLookup()));
        root.put("queries_per_lookup", round(r.queriesPerLookup()));
        root.put("unanswered_per_lookup", round(r.timeoutsPerLookup()));
        root.put("exact_share", round(r.exactShare()));
        root.put("mean_true_found", round(r.meanTrueFound()));
        root.put("targets_met", met);
        return root;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
