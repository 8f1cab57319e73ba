package io.restfs.sim.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run measures: lookup hops, times and outcomes, record puts and gets, per phase of the run
 * (totals) and cut into fixed intervals of virtual time (the time series). Workloads report into it; the
 * report writers read it.
 */
public final class Metrics {
    /** Lookup times are kept exactly up to ten minutes; a lookup slower than that is a failure anyway. */
    static final int TIME_BOUND_MILLIS = 600_000;
    /** Hop counts above 64 would mean a lookup walked in circles; they are kept in the overflow. */
    static final int HOPS_BOUND = 64;

    private final long intervalMillis;
    private final Map<String, Totals> phases = new LinkedHashMap<>();
    private Totals totals;
    private final List<Interval> intervals = new ArrayList<>();
    private Interval current;

    /** Counts of one phase (or one interval) of the run. */
    public static class Totals {
        public final Histogram hops = new Histogram(HOPS_BOUND);
        public final Histogram timeMillis = new Histogram(TIME_BOUND_MILLIS);
        public long lookups;
        /** Returned exactly the true k closest (the strict success figure). */
        public long found;
        /** Returned at least the single closest. */
        public long closest;
        /** Returned all but at most one of the true k closest (e.g. 19 of 20). */
        public long nearly;
        /**
         * Exact once nodes that joined or left while the lookup ran are allowed for: every true k closest node was
         * returned except those displaced by a returned node that was not online for the whole lookup. A diagnostic
         * beside the strict figure, separating routing misses from membership changes during the lookup.
         */
        public long foundButForChurn;
        public long failed;
        public long queries;
        public long puts;
        public long putsOk;
        public long gets;
        public long getsOk;
        public long messages;
        public long bytes;
        public long joins;
        public long departures;
        /** Hard timeouts of lookup queries: each one a candidate that never answered, most often a departed node. */
        public long lookupTimeouts;
        /**
         * Routing-table contacts of the sampled nodes that their tables would hand out (not yet judged bad), and how
         * many of them belonged to nodes that had departed: the stale entries that cost lookups a timeout each.
         */
        public long tableContacts;
        public long tableDead;
        /** The same for each sampled node's k contacts closest to itself, which it returns for targets near it. */
        public long nearestContacts;
        public long nearestDead;

        void lookup(int hopCount, long millis, boolean isFound, boolean isClosest, boolean isFailed, long q) {
            lookups++;
            hops.add(hopCount);
            timeMillis.add(millis);
            queries += q;
            found += isFound ? 1 : 0;
            closest += isClosest ? 1 : 0;
            failed += isFailed ? 1 : 0;
        }
    }

    /** A row of the time series: what happened during one interval of virtual time. */
    public static final class Interval extends Totals {
        public final long startMillis;
        public final String phase;
        public int liveNodes;

        Interval(long startMillis, String phase) {
            this.startMillis = startMillis;
            this.phase = phase;
        }
    }

    public Metrics(long intervalMillis) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalMillis = intervalMillis;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /** Starts counting into phase {@code name} (e.g. "safety", "liveness"). */
    public void phase(String name) {
        totals = phases.computeIfAbsent(name, n -> new Totals());
    }

    /** Totals of phase {@code name}, or null when the run had no such phase. */
    public Totals totals(String name) {
        return phases.get(name);
    }

    /** Opens the interval starting at {@code startMillis} in phase {@code phase}. */
    public Interval openInterval(long startMillis, String phase) {
        current = new Interval(startMillis, phase);
        intervals.add(current);
        return current;
    }

    public Interval current() {
        return current;
    }

    public List<Interval> intervals() {
        return Collections.unmodifiableList(intervals);
    }

    /**
     * One finished lookup: {@code found} when it returned exactly the true k closest live nodes,
     * {@code closest} when it returned at least the single closest one, {@code failed} when it ended
     * without a result (an error rather than a wrong answer). {@code queries} counts its own requests.
     */
    public void lookup(int hopCount, long millis, boolean found, boolean closest, boolean failed, long queries) {
        if (totals != null) {
            totals.lookup(hopCount, millis, found, closest, failed, queries);
        }
        if (current != null) {
            current.lookup(hopCount, millis, found, closest, failed, queries);
        }
    }

    /**
     * Finer judgement of a finished lookup already counted by {@link #lookup}: {@code nearly} when it returned all
     * but at most one of the true k closest, {@code foundButForChurn} when it was exact once returned nodes that
     * joined or left during it are allowed to stand in for as many of the farthest true ones.
     */
    public void lookupDetail(boolean nearly, boolean foundButForChurn) {
        for (Totals t : new Totals[] {totals, current}) {
            if (t != null) {
                t.nearly += nearly ? 1 : 0;
                t.foundButForChurn += foundButForChurn ? 1 : 0;
            }
        }
    }

    /** Adds the hard timeouts met by one finished lookup. */
    public void lookupTimeouts(int timeouts) {
        for (Totals t : new Totals[] {totals, current}) {
            if (t != null) {
                t.lookupTimeouts += timeouts;
            }
        }
    }

    /**
     * One sampled routing table: {@code contacts} members it would hand out, {@code dead} of them departed;
     * {@code nearest} and {@code nearestDead} the same for its k members closest to itself.
     */
    public void routingTable(int contacts, int dead, int nearest, int nearestDead) {
        for (Totals t : new Totals[] {totals, current}) {
            if (t != null) {
                t.tableContacts += contacts;
                t.tableDead += dead;
                t.nearestContacts += nearest;
                t.nearestDead += nearestDead;
            }
        }
    }

    public void put(boolean ok) {
        if (totals != null) {
            totals.puts++;
            totals.putsOk += ok ? 1 : 0;
        }
        if (current != null) {
            current.puts++;
            current.putsOk += ok ? 1 : 0;
        }
    }

    public void get(boolean ok) {
        if (totals != null) {
            totals.gets++;
            totals.getsOk += ok ? 1 : 0;
        }
        if (current != null) {
            current.gets++;
            current.getsOk += ok ? 1 : 0;
        }
    }

    public void membership(boolean joined) {
        for (Totals t : new Totals[] {totals, current}) {
            if (t != null) {
                if (joined) {
                    t.joins++;
                } else {
                    t.departures++;
                }
            }
        }
    }

    /** Adds network traffic to the current phase and interval. */
    public void traffic(long messages, long bytes) {
        for (Totals t : new Totals[] {totals, current}) {
            if (t != null) {
                t.messages += messages;
                t.bytes += bytes;
            }
        }
    }
}
