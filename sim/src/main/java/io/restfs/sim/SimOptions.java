package io.restfs.sim;

import io.restfs.sim.churn.Churn;
import io.restfs.sim.event.Lanes;
import io.restfs.sim.net.LatencyModel;
import io.restfs.sim.net.Partition;
import io.restfs.sim.spec.Specs;
import io.restfs.sim.workload.Workloads;
import java.util.List;
import java.util.Locale;

/**
 * Everything that defines one simulation run. Two runs with equal options produce identical results; the
 * {@link #replayCommand()} prints the command line that recreates them.
 *
 * @param nodes          network size (live nodes at the start)
 * @param durationMillis virtual time of the measured (safety) phase, faults on
 * @param churn          session lengths and departures, or {@link Churn#NONE}
 * @param latency        one-way delay model
 * @param loss           probability that a packet is lost
 * @param partitions     splits of the network during the safety phase
 * @param workloads      workload specs (see {@link Workloads#parse})
 * @param seed           the one seed every random choice of the run derives from
 * @param k              bucket size and lookup result size
 * @param alpha          lookup parallelism
 * @param livenessMillis virtual time of the liveness phase (faults off, no churn; the network must converge)
 * @param intervalMillis width of one row of the time series
 */
public record SimOptions(int nodes, long durationMillis, Churn churn, LatencyModel latency, double loss,
                         List<Partition> partitions, List<String> workloads, long seed, int k, int alpha,
                         long livenessMillis, long intervalMillis, int lanes, int threads) {
    /** The defaults: one lookup per node per minute. */
    public static final String DEFAULT_WORKLOAD = "lookups:1/min";
    /** Kademlia's bucket size (Maymounkov and Mazieres 2002) and restfs's default. */
    public static final int DEFAULT_K = 20;
    /** Kademlia's lookup parallelism. */
    public static final int DEFAULT_ALPHA = 3;
    /** Long enough for every timeout and a round of lookups after faults stop. */
    public static final long DEFAULT_LIVENESS_MILLIS = 2 * 60_000L;
    /** Bound on simulated network size: slots are 24-bit host numbers (see SimNetwork). */
    public static final int MAX_NODES = 4_000_000;
    /** Bound on {@code --lanes}: beyond a few per core, more lanes only add merging. */
    public static final int MAX_LANES = 256;

    /**
     * Options with the default lanes ({@link Lanes#DEFAULT_LANES}) run by as many threads as this machine has
     * cores, up to one per lane. Threads change only the speed of a run, never its result; lanes are part of the
     * result (see {@link Lanes}).
     */
    public SimOptions(int nodes, long durationMillis, Churn churn, LatencyModel latency, double loss,
                      List<Partition> partitions, List<String> workloads, long seed, int k, int alpha,
                      long livenessMillis, long intervalMillis) {
        this(nodes, durationMillis, churn, latency, loss, partitions, workloads, seed, k, alpha, livenessMillis,
                intervalMillis, Lanes.DEFAULT_LANES, defaultThreads(Lanes.DEFAULT_LANES));
    }

    /** One thread per core, but no more than there are lanes. */
    public static int defaultThreads(int lanes) {
        return Math.max(1, Math.min(lanes, Runtime.getRuntime().availableProcessors()));
    }

    public SimOptions {
        if (nodes < 2 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 2 and " + MAX_NODES + ", got " + nodes);
        }
        if (durationMillis <= 0) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("--loss must be in [0, 1), got " + loss);
        }
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("--k must be between 1 and 64, got " + k);
        }
        if (alpha < 1 || alpha > 32) {
            throw new IllegalArgumentException("--alpha must be between 1 and 32, got " + alpha);
        }
        if (livenessMillis < 0) {
            throw new IllegalArgumentException("--liveness must not be negative");
        }
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("--interval must be positive");
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("--lanes must be between 1 and " + MAX_LANES + ", got " + lanes);
        }
        if (threads < 1 || threads > MAX_LANES) {
            throw new IllegalArgumentException("--threads must be between 1 and " + MAX_LANES + ", got " + threads);
        }
        partitions = List.copyOf(partitions);
        workloads = List.copyOf(workloads);
        for (String w : workloads) {
            Workloads.parse(w); // validates early, with the option named in the error
        }
        for (Partition p : partitions) {
            if (p.startMillis() >= durationMillis) {
                throw new IllegalArgumentException("--partition " + p.spec() + " starts after the run ends ("
                        + Specs.formatDuration(durationMillis) + ")");
            }
        }
    }

    /** The defaults of the issue for {@code nodes} nodes: one hour, no churn, no loss, log-normal latency. */
    public static SimOptions defaults(int nodes, long seed) {
        return new SimOptions(nodes, 3_600_000L, Churn.NONE, LatencyModel.defaultModel(), 0.0, List.of(),
                List.of(DEFAULT_WORKLOAD), seed, DEFAULT_K, DEFAULT_ALPHA, DEFAULT_LIVENESS_MILLIS,
                defaultInterval(3_600_000L));
    }

    /** One row per minute, but no more than 240 rows for long runs. */
    public static long defaultInterval(long durationMillis) {
        return Math.max(60_000L, ((durationMillis / 240 + 59_999) / 60_000) * 60_000);
    }

    public SimOptions withNodes(int n) {
        return new SimOptions(n, durationMillis, churn, latency, loss, partitions, workloads, seed, k, alpha,
                livenessMillis, intervalMillis, lanes, threads);
    }

    /** These options with {@code lanes} lanes run by {@code threads} threads. */
    public SimOptions withLanes(int lanes, int threads) {
        return new SimOptions(nodes, durationMillis, churn, latency, loss, partitions, workloads, seed, k, alpha,
                livenessMillis, intervalMillis, lanes, threads);
    }

    /** The command line that replays this run exactly. */
    public String replayCommand() {
        StringBuilder b = new StringBuilder("./restfs sim");
        b.append(" --nodes ").append(nodes);
        b.append(" --duration ").append(Specs.formatDuration(durationMillis));
        b.append(" --churn ").append(quote(churn.spec()));
        b.append(" --latency ").append(quote(latency.spec()));
        b.append(" --loss ").append(formatNumber(loss));
        for (Partition p : partitions) {
            b.append(" --partition ").append(p.spec());
        }
        for (String w : workloads) {
            b.append(" --workload ").append(quote(w));
        }
        b.append(" --k ").append(k).append(" --alpha ").append(alpha);
        b.append(" --liveness ").append(Specs.formatDuration(livenessMillis));
        b.append(" --interval ").append(Specs.formatDuration(intervalMillis));
        b.append(" --lanes ").append(lanes);
        b.append(" --seed ").append(seed);
        return b.toString();
    }

    static String formatNumber(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%s", d);
    }

    private static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || "-_.,:=/+@%".indexOf(c) >= 0)) {
                return "'" + s.replace("'", "'\\''") + "'";
            }
        }
        return s;
    }
}
