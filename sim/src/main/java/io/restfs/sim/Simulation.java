package io.restfs.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.CachingSignatureVerifier;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.Liveness;
import io.restfs.sim.event.EventQueue;
import io.restfs.sim.event.Lanes;
import io.restfs.sim.metrics.Histogram;
import io.restfs.sim.metrics.Metrics;
import io.restfs.sim.net.Partition;
import io.restfs.sim.net.SimNetwork;
import io.restfs.sim.report.Report;
import io.restfs.sim.spec.Specs;
import io.restfs.sim.workload.Workload;
import io.restfs.sim.workload.Workloads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One simulation run: N real DHT nodes on a simulated network in virtual time, driven from one seed.
 * The nodes run in lanes on several threads ({@link Lanes}); the result depends on the seed and the lane count only.
 *
 * <ol>
 *   <li>Bootstrap: nodes join in waves that double the network; each joiner runs the engine's real
 *       bootstrap (a lookup of its own id through one already-joined node).</li>
 *   <li>Safety phase ({@code --duration}): workloads, churn, loss and partitions on; invariants checked as
 *       it goes (lookup results well-formed and made of real nodes, no packet to a dead node delivered).</li>
 *   <li>Liveness phase ({@code --liveness}): faults and churn off; the first half lets the network settle,
 *       and in the second half lookups must find the true k closest again: the run has converged when at
 *       least {@link #CONVERGED_SUCCESS} of them do.</li>
 * </ol>
 */
public final class Simulation implements World {
    /** Share of liveness-phase lookups that must find the true k closest for the run to count as converged. */
    public static final double CONVERGED_SUCCESS = 0.99;
    /** Each bootstrap wave gets this long (virtual) to finish: the engine's lookup timeouts are far shorter. */
    private static final long WAVE_TIMEOUT_MILLIS = 120_000;
    /** Invariant violations kept verbatim; beyond this they are only counted. */
    private static final int MAX_VIOLATIONS_KEPT = 50;
    /** Contacts a joining node tries before it gives up and stays online alone. */
    private static final int JOIN_ATTEMPTS = 3;
    /** Routing tables checked per interval: enough to catch a systematic fault, cheap at any size. */
    private static final int ROUTING_TABLE_SAMPLES = 8;

    private final SimOptions options;
    private final Consumer<String> log;
    private final Seeds seeds;
    /** Runs the nodes in parallel lanes; its global queue holds the simulator's own events. */
    private final Lanes lanes;
    private final EventQueue queue;
    private final SimNetwork network;
    private final Membership membership = new Membership();
    /**
     * One memo of verified signatures shared by every node: each node's signed restfs_info is checked by hundreds
     * of peers, and Ed25519 verification was a third of the simulator's CPU. It changes no outcome.
     */
    private final CachingSignatureVerifier verifier;
    private static final int VERIFIER_MIN_ENTRIES = 4096;
    private static final int VERIFIER_ENTRIES_PER_NODE = 2;
    private final Metrics metrics;
    private final List<Workload> workloads = new ArrayList<>();
    private final SplittableRandom churnRandom;
    private final SplittableRandom joinRandom;
    private final SplittableRandom invariantRandom;
    private SimNode[] nodes = new SimNode[1024];
    /** Id of every node incarnation ever started, by slot (departed ones included). */
    private NodeId[] incarnationIds = new NodeId[1024];

    private long origin;
    private boolean faultsOn;
    private boolean churnOn;
    private final List<String> violations = new ArrayList<>();
    private long violationCount;
    private long invariantChecks;
    private long lastSent;
    private long lastBytes;
    private long bootstrapMillis;
    private long bootstrapMessages;
    private long bootstrapBytes;
    private long joinRetries;
    private long joinFailures;
    private long crashes;
    private long gracefulLeaves;
    private ObjectNode nodeStats = Report.newObject();

    private Simulation(SimOptions options, Consumer<String> log, SimNetwork.Carriage carriage) {
        this.options = options;
        this.log = log;
        this.seeds = new Seeds(options.seed());
        this.lanes = new Lanes(options.lanes(), options.threads());
        this.queue = lanes.global();
        // Room for every node's info and its first BEP 44 items; evicting more only costs a re-verification.
        this.verifier = new CachingSignatureVerifier(Math.max(VERIFIER_MIN_ENTRIES, VERIFIER_ENTRIES_PER_NODE * options.nodes()));
        this.network = new SimNetwork(lanes, lane -> seeds.random("network", lane), options.latency(),
                options.loss(), options.partitions(), seeds.derive("partition", 0), carriage);
        network.setFaults(false, 0); // the network forms cleanly; faults start with the safety phase
        this.metrics = new Metrics(options.intervalMillis());
        this.churnRandom = seeds.random("churn");
        this.joinRandom = seeds.random("join");
        this.invariantRandom = seeds.random("invariants");
        for (String w : options.workloads()) {
            workloads.add(Workloads.parse(w));
        }
    }

    /** Runs {@code options} to the end; {@code log} receives progress lines (seed, phases, replay command). */
    public static SimResult run(SimOptions options, Consumer<String> log) {
        return run(options, log, SimNetwork.Carriage.MESSAGES);
    }

    /** As {@link #run(SimOptions, Consumer)}, with what the network carries chosen (a test compares the two). */
    static SimResult run(SimOptions options, Consumer<String> log, SimNetwork.Carriage carriage) {
        Simulation s = new Simulation(options, log, carriage);
        try {
            return s.execute();
        } finally {
            s.lanes.close();
        }
    }

    private SimResult execute() {
        long wallStart = System.nanoTime();
        log.accept("sim: seed " + options.seed() + ", " + options.nodes() + " nodes, "
                + Specs.formatDuration(options.durationMillis()) + " virtual, churn " + options.churn().spec()
                + ", latency " + options.latency().spec() + ", loss " + options.loss() + ", workloads "
                + String.join(" ", options.workloads()) + "; " + lanes.lanes() + (lanes.lanes() == 1 ? " lane" : " lanes")
                + " on " + lanes.threads() + (lanes.threads() == 1 ? " thread" : " threads"));
        log.accept("sim: replay with: " + options.replayCommand());

        bootstrap();
        long afterBootstrap = System.nanoTime();
        log.accept(String.format(Locale.ROOT, "sim: bootstrap of %d nodes took %s virtual, %d messages, %.1f s wall",
                membership.size(), Specs.formatDuration(bootstrapMillis), bootstrapMessages,
                (afterBootstrap - wallStart) / 1e9));

        // Safety phase: everything on.
        origin = queue.nowMillis();
        network.setOrigin(origin);
        network.setFaults(true, options.loss());
        faultsOn = true;
        churnOn = options.churn().enabled();
        metrics.phase(SimResult.SAFETY);
        lastSent = network.sent();
        lastBytes = network.sentBytes();
        metrics.openInterval(0, SimResult.SAFETY);
        scheduleTick(origin + options.intervalMillis());
        if (churnOn) {
            for (int i = 0; i < membership.size(); i++) {
                scheduleDeparture(membership.liveAt(i));
            }
        }
        for (Workload w : workloads) {
            w.start(this);
        }
        long end = origin + options.durationMillis();
        runWithProgress(end, wallStart);

        // Liveness phase: faults off, churn stops; the network must converge.
        faultsOn = false;
        churnOn = false;
        network.setFaults(false, 0);
        long settleEnd = end + options.livenessMillis() / 2;
        metrics.phase(SimResult.SETTLE);
        lanes.runUntil(settleEnd);
        metrics.phase(SimResult.LIVENESS);
        lanes.runUntil(end + options.livenessMillis());
        closeInterval();

        collectNodeStats();
        long wall = (System.nanoTime() - wallStart) / 1_000_000;
        Metrics.Totals live = metrics.totals(SimResult.LIVENESS);
        boolean converged = converged(live);
        ObjectNode summary = summarize(converged);
        return new SimResult(options, metrics, summary, violations, converged, wall, lanes.executed());
    }

    private boolean converged(Metrics.Totals live) {
        if (options.livenessMillis() == 0) {
            return true;
        }
        if (live == null) {
            return false;
        }
        boolean lookupsOk = live.lookups == 0 || (double) live.found / live.lookups >= CONVERGED_SUCCESS;
        boolean getsOk = live.gets == 0 || (double) live.getsOk / live.gets >= CONVERGED_SUCCESS;
        return lookupsOk && getsOk && (live.lookups > 0 || live.gets > 0);
    }

    private void runWithProgress(long end, long wallStart) {
        long step = Math.max(1, options.durationMillis() / 10);
        for (long t = origin + step; ; t += step) {
            long until = Math.min(t, end);
            lanes.runUntil(until);
            if (until >= end) {
                break;
            }
            Metrics.Totals s = metrics.totals(SimResult.SAFETY);
            log.accept(String.format(Locale.ROOT, "sim: %s of %s virtual, %d live, %.1f s wall; so far %d lookups,"
                            + " success %.3f%%, hops %d/%d/%d (median/p90/p99), time %d/%d ms (median/p99)",
                    Specs.formatDuration(until - origin), Specs.formatDuration(options.durationMillis()),
                    membership.size(), (System.nanoTime() - wallStart) / 1e9, s.lookups,
                    s.lookups == 0 ? 0.0 : 100.0 * s.found / s.lookups, s.hops.percentile(50),
                    s.hops.percentile(90), s.hops.percentile(99), s.timeMillis.percentile(50),
                    s.timeMillis.percentile(99))
                    + (s.gets == 0 ? "" : String.format(Locale.ROOT, "; %d gets, availability %.3f%%", s.gets,
                    100.0 * s.getsOk / s.gets)));
        }
    }

    // ---- bootstrap ----

    private void bootstrap() {
        long start = queue.nowMillis();
        long sent0 = network.sent();
        long bytes0 = network.sentBytes();
        SimNode first = spawn();
        membership.add(first.slot(), first.id(), queue.nowMillis());
        int target = options.nodes();
        while (membership.size() < target) {
            int wave = Math.min(membership.size(), target - membership.size());
            int[] pending = {wave};
            for (int i = 0; i < wave; i++) {
                join(spawn(), JOIN_ATTEMPTS, n -> {
                    pending[0]--;
                    membership.add(n.slot(), n.id(), queue.nowMillis());
                });
            }
            lanes.runUntil(queue.nowMillis() + WAVE_TIMEOUT_MILLIS, () -> pending[0] == 0);
            if (pending[0] > 0) {
                throw new IllegalStateException(pending[0] + " of " + wave + " joins did not finish within "
                        + Specs.formatDuration(WAVE_TIMEOUT_MILLIS) + " of virtual time");
            }
        }
        bootstrapMillis = queue.nowMillis() - start;
        bootstrapMessages = network.sent() - sent0;
        bootstrapBytes = network.sentBytes() - bytes0;
    }

    /**
     * Runs the engine's bootstrap of {@code n} through a random live node, as an operator's node would retry
     * with another contact when its first one does not answer; {@code joined} runs once it got a routing
     * table, or after the last attempt (the node is online either way and may still learn peers later).
     */
    private void join(SimNode n, int attemptsLeft, Consumer<SimNode> joined) {
        int via = membership.randomLive(joinRandom);
        n.bootstrap(nodes[via]).whenComplete((ok, error) -> {
            if (nodes[n.slot()] != n) {
                return; // it left before its bootstrap ended
            }
            if (Boolean.TRUE.equals(ok)) {
                joined.accept(n);
            } else if (attemptsLeft > 1 && membership.size() > 0) {
                joinRetries++;
                join(n, attemptsLeft - 1, joined);
            } else {
                joinFailures++;
                joined.accept(n);
            }
        });
    }

    /** Creates a node incarnation in a fresh slot (not yet a member: it joins when its bootstrap ends). */
    private SimNode spawn() {
        int slotGuess = network.slotCount();
        RandomGenerator r = seeds.random("node", slotGuess);
        int region = pickRegion(r);
        SimNetwork.SimTransport t = network.attach(region);
        if (t.slot() != slotGuess) {
            throw new IllegalStateException("slot numbering out of step: " + t.slot() + " vs " + slotGuess);
        }
        SimNode n = SimNode.create(t, region, lanes, r, options.k(), options.alpha(), verifier);
        if (n.slot() >= nodes.length) {
            nodes = Arrays.copyOf(nodes, Math.max(nodes.length * 2, n.slot() + 1));
        }
        nodes[n.slot()] = n;
        if (n.slot() >= incarnationIds.length) {
            incarnationIds = Arrays.copyOf(incarnationIds, Math.max(incarnationIds.length * 2, n.slot() + 1));
        }
        incarnationIds[n.slot()] = n.id();
        return n;
    }

    private int pickRegion(RandomGenerator r) {
        int regions = options.latency().regions();
        if (regions == 1) {
            return 0;
        }
        double u = r.nextDouble();
        for (int i = 0; i < regions - 1; i++) {
            u -= options.latency().regionWeight(i);
            if (u < 0) {
                return i;
            }
        }
        return regions - 1;
    }

    // ---- churn ----

    private void scheduleDeparture(int slot) {
        long session = options.churn().sessions().sampleMillis(churnRandom);
        queue.after(session, () -> depart(slot));
    }

    private void depart(int slot) {
        if (!churnOn || !membership.isLive(slot)) {
            return;
        }
        boolean crash = churnRandom.nextDouble() < options.churn().crashShare();
        SimNode n = nodes[slot];
        membership.remove(slot);
        if (crash) {
            crashes++;
            n.crash();
        } else {
            gracefulLeaves++;
            n.leave();
        }
        nodes[slot] = null;
        metrics.membership(false);
        for (Workload w : workloads) {
            w.onDeparture(slot);
        }
        queue.after(options.churn().downtimeMillis(), this::arrive);
    }

    private void arrive() {
        if (membership.size() == 0) {
            return;
        }
        join(spawn(), JOIN_ATTEMPTS, n -> {
            membership.add(n.slot(), n.id(), queue.nowMillis());
            metrics.membership(true);
            for (Workload w : workloads) {
                w.onJoin(n.slot());
            }
            if (churnOn) {
                scheduleDeparture(n.slot());
            }
        });
    }

    // ---- time series ----

    private void scheduleTick(long at) {
        queue.at(at, () -> {
            if (faultsOn) {
                checkRoutingTables();
            }
            closeInterval();
            long t = at - origin;
            String phase = t < options.durationMillis() ? SimResult.SAFETY
                    : t < options.durationMillis() + options.livenessMillis() / 2 ? SimResult.SETTLE
                    : SimResult.LIVENESS;
            metrics.openInterval(t, phase);
            scheduleTick(at + options.intervalMillis());
        });
    }

    private void closeInterval() {
        Metrics.Interval cur = metrics.current();
        if (cur == null) {
            return;
        }
        cur.liveNodes = membership.size();
        long sent = network.sent();
        long bytes = network.sentBytes();
        metrics.traffic(sent - lastSent, bytes - lastBytes);
        lastSent = sent;
        lastBytes = bytes;
    }

    // ---- World ----

    @Override
    public EventQueue queue() {
        return queue;
    }

    @Override
    public long elapsed() {
        return queue.nowMillis() - origin;
    }

    @Override
    public RandomGenerator random(String name) {
        return seeds.random(name);
    }

    @Override
    public Membership membership() {
        return membership;
    }

    @Override
    public SimNode node(int slot) {
        return slot < nodes.length ? nodes[slot] : null;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public int k() {
        return options.k();
    }

    @Override
    public boolean faultsOn() {
        return faultsOn;
    }

    @Override
    public void violation(String what) {
        violationCount++;
        if (violations.size() < MAX_VIOLATIONS_KEPT) {
            violations.add(Specs.formatDuration(elapsed()) + ": " + what);
        }
    }

    @Override
    public void judgeLookup(int querier, NodeId target, long startMillis, SimNode.LookupOutcome outcome,
                            long tookMillis) {
        List<NodeId> got = outcome.closest();
        checkLookupResult(target, got);
        int[] truth = membership.closest(target, options.k(), startMillis, querier);
        Set<NodeId> gotSet = new HashSet<>(got);
        boolean found = truth.length > 0 && got.size() >= truth.length;
        for (int s : truth) {
            if (!gotSet.contains(membership.idOf(s))) {
                found = false;
                break;
            }
        }
        boolean closest = truth.length > 0 && gotSet.contains(membership.idOf(truth[0]));
        metrics.lookup(outcome.hops(), tookMillis, found, closest, false, outcome.queries());
        metrics.lookupTimeouts(outcome.timeouts());
    }

    /**
     * Safety invariants of routing tables, on a sample of live nodes each interval: a table never holds its
     * own node, never holds an id twice, and every contact's address is where that id really lives (an
     * address the simulator gave to a node with exactly that id), so no table confuses two nodes. The same
     * sample measures staleness: how many of the contacts a table would hand out belong to departed nodes.
     */
    private void checkRoutingTables() {
        int samples = Math.min(ROUTING_TABLE_SAMPLES, membership.size());
        for (int i = 0; i < samples; i++) {
            int slot = membership.randomLive(invariantRandom);
            SimNode n = nodes[slot];
            n.contacts().thenAccept(contacts -> {
                invariantChecks++;
                Set<NodeId> seen = new HashSet<>();
                for (var c : contacts) {
                    if (c.id().equals(n.id())) {
                        violation("node " + n.id() + " holds itself in its routing table");
                    }
                    if (!seen.add(c.id())) {
                        violation("node " + n.id() + " holds " + c.id() + " twice");
                    }
                    int at = SimNetwork.slotOf(c.address());
                    NodeId there = at < 0 || at >= incarnationIds.length ? null : incarnationIds[at];
                    if (!c.id().equals(there)) {
                        violation("node " + n.id() + " has " + c.id() + " at " + c.address()
                                + ", where node " + there + " lives");
                    }
                }
                measureStaleness(n.id(), contacts);
            });
        }
    }

    /**
     * Counts the contacts of one table that it would still hand out (not judged bad) and whose nodes have
     * departed, over the whole table and over its k such contacts closest to its own id.
     */
    private void measureStaleness(NodeId self, List<Contact> contacts) {
        List<Contact> handedOut = new ArrayList<>(contacts.size());
        int dead = 0;
        for (Contact c : contacts) {
            if (c.liveness() != Liveness.BAD) {
                handedOut.add(c);
                dead += departed(c) ? 1 : 0;
            }
        }
        handedOut.sort((a, b) -> self.compareDistance(a.id(), b.id()));
        int nearest = Math.min(options.k(), handedOut.size());
        int nearestDead = 0;
        for (int i = 0; i < nearest; i++) {
            nearestDead += departed(handedOut.get(i)) ? 1 : 0;
        }
        metrics.routingTable(handedOut.size(), dead, nearest, nearestDead);
    }

    private boolean departed(Contact c) {
        int slot = SimNetwork.slotOf(c.address());
        return slot < 0 || !membership.isLive(slot);
    }

    /** Safety invariants of one lookup result: bounded, no duplicates, sorted by distance, real nodes only. */
    private void checkLookupResult(NodeId target, List<NodeId> got) {
        invariantChecks++;
        if (got.size() > options.k()) {
            violation("lookup for " + target + " returned " + got.size() + " nodes, more than k=" + options.k());
        }
        for (int i = 1; i < got.size(); i++) {
            if (target.compareDistance(got.get(i - 1), got.get(i)) >= 0) {
                violation("lookup for " + target + " returned nodes out of distance order or twice at " + i);
                break;
            }
        }
    }

    // ---- summary ----

    /** Sums the engine's own counters over the live nodes (asked through its API, on each logic thread). */
    private void collectNodeStats() {
        long[] sums = new long[8];
        TreeMap<String, Long> byMethod = new TreeMap<>();
        for (int i = 0; i < membership.size(); i++) {
            SimNode n = nodes[membership.liveAt(i)];
            n.stats().thenAccept(st -> {
                sums[0]++;
                sums[1] += st.routingTableSize();
                sums[2] += st.storedItems();
                sums[3] += st.rateLimited();
                sums[4] += st.itemsRefused();
                sums[5] += st.rpc().timeouts();
                sums[6] += st.rpc().malformedIn();
                sums[7] += st.rpc().unmatchedIn();
                st.rpc().sentByMethod().forEach((m, c) -> byMethod.merge(m, c, Long::sum));
            });
        }
        lanes.runUntil(queue.nowMillis());
        nodeStats = Report.newObject();
        nodeStats.put("nodes_reporting", sums[0]);
        nodeStats.put("routing_table_mean", sums[0] == 0 ? 0.0 : round((double) sums[1] / sums[0]));
        nodeStats.put("stored_items", sums[2]);
        nodeStats.put("rate_limited_queries", sums[3]);
        nodeStats.put("items_refused", sums[4]);
        nodeStats.put("rpc_timeouts", sums[5]);
        nodeStats.put("malformed_in", sums[6]);
        nodeStats.put("unmatched_in", sums[7]);
        ObjectNode m = nodeStats.putObject("queries_sent_by_method");
        byMethod.forEach(m::put);
    }

    private ObjectNode summarize(boolean converged) {
        ObjectNode s = Report.newObject();
        s.put("seed", options.seed());
        s.put("nodes", options.nodes());
        s.put("duration", Specs.formatDuration(options.durationMillis()));
        ObjectNode opts = s.putObject("options");
        opts.put("churn", options.churn().spec());
        opts.put("latency", options.latency().spec());
        opts.put("loss", options.loss());
        ArrayNode parts = opts.putArray("partitions");
        for (Partition p : options.partitions()) {
            parts.add(p.spec());
        }
        ArrayNode wl = opts.putArray("workloads");
        options.workloads().forEach(wl::add);
        opts.put("k", options.k());
        opts.put("alpha", options.alpha());
        opts.put("liveness", Specs.formatDuration(options.livenessMillis()));
        opts.put("interval", Specs.formatDuration(options.intervalMillis()));
        opts.put("lanes", options.lanes());
        s.put("replay", options.replayCommand());

        ObjectNode b = s.putObject("bootstrap");
        b.put("virtual_ms", bootstrapMillis);
        b.put("messages", bootstrapMessages);
        b.put("bytes", bootstrapBytes);
        b.put("join_retries", joinRetries);
        b.put("joins_failed", joinFailures);

        for (String phase : List.of(SimResult.SAFETY, SimResult.SETTLE, SimResult.LIVENESS)) {
            Metrics.Totals t = metrics.totals(phase);
            if (t != null) {
                phaseSummary(s.putObject(phase), t);
            }
        }
        ObjectNode net = s.putObject("network");
        net.put("messages", network.sent());
        net.put("bytes", network.sentBytes());
        net.put("delivered", network.delivered());
        net.put("lost", network.lost());
        net.put("partitioned", network.partitioned());
        net.put("to_dead_nodes", network.toDead());
        ObjectNode churn = s.putObject("churn");
        churn.put("crashes", crashes);
        churn.put("graceful_leaves", gracefulLeaves);
        churn.put("live_at_end", membership.size());
        churn.put("incarnations", network.slotCount());
        s.set("engine", nodeStats);
        ObjectNode w = s.putObject("workloads");
        for (Workload wk : workloads) {
            wk.summarize(w);
        }
        ObjectNode inv = s.putObject("invariants");
        inv.put("checks", invariantChecks);
        inv.put("violations", violationCount);
        ArrayNode first = inv.putArray("first_violations");
        violations.forEach(first::add);
        s.put("converged", converged);
        s.put("events", lanes.executed());
        return s;
    }

    private static void phaseSummary(ObjectNode o, Metrics.Totals t) {
        ObjectNode l = o.putObject("lookups");
        l.put("count", t.lookups);
        l.put("success_rate", rate(t.found, t.lookups));
        l.put("closest_found_rate", rate(t.closest, t.lookups));
        l.put("failed", t.failed);
        hist(l.putObject("hops"), t.hops);
        hist(l.putObject("time_ms"), t.timeMillis);
        l.put("queries_per_lookup", perLookup(t.queries, t.lookups));
        l.put("timeouts_per_lookup", perLookup(t.lookupTimeouts, t.lookups));
        l.put("messages_per_lookup", perLookup(t.messages, t.lookups));
        l.put("bytes_per_lookup", perLookup(t.bytes, t.lookups));
        ObjectNode r = o.putObject("records");
        r.put("puts", t.puts);
        r.put("puts_ok", t.putsOk);
        r.put("gets", t.gets);
        r.put("gets_ok", t.getsOk);
        r.put("availability", rate(t.getsOk, t.gets));
        ObjectNode rt = o.putObject("routing_tables");
        rt.put("contacts_sampled", t.tableContacts);
        rt.put("departed_rate", rate(t.tableDead, t.tableContacts));
        rt.put("nearest_k_departed_rate", rate(t.nearestDead, t.nearestContacts));
        ObjectNode n = o.putObject("traffic");
        n.put("messages", t.messages);
        n.put("bytes", t.bytes);
        n.put("joins", t.joins);
        n.put("departures", t.departures);
    }

    private static void hist(ObjectNode o, Histogram h) {
        o.put("median", h.percentile(50));
        o.put("p90", h.percentile(90));
        o.put("p99", h.percentile(99));
        o.put("max", h.max());
        o.put("mean", round(h.mean()));
    }

    private static double rate(long num, long den) {
        return den == 0 ? 0.0 : round((double) num / den);
    }

    private static double perLookup(long total, long lookups) {
        return lookups == 0 ? 0.0 : round((double) total / lookups);
    }

    /** Six decimals: enough for 99.9999%, and stable text in the JSON. */
    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }
}
