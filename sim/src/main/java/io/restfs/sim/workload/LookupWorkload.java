package io.restfs.sim.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import io.restfs.sim.Membership;
import io.restfs.sim.SimNode;
import io.restfs.sim.SimResult;
import io.restfs.sim.World;
import io.restfs.sim.metrics.Metrics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Random lookups: live nodes look up random keys, at a given rate per live node (a Poisson process over
 * the whole network). Each result is judged against the simulator's full membership: success means it
 * returned exactly the true k closest nodes among those online for the whole lookup.
 */
final class LookupWorkload implements Workload {
    private final double ratePerNodePerMilli;
    private final String rateText;
    private World world;
    private RandomGenerator random;
    private double nextAt;
    private long started;
    private long inFlight;
    private long abandoned;

    LookupWorkload(double ratePerNodePerMilli, String rateText) {
        this.ratePerNodePerMilli = ratePerNodePerMilli;
        this.rateText = rateText;
    }

    @Override
    public String spec() {
        return "lookups:" + rateText;
    }

    @Override
    public void start(World w) {
        this.world = w;
        this.random = w.random("workload.lookups");
        this.nextAt = w.now();
        scheduleNext();
    }

    private void scheduleNext() {
        int live = Math.max(1, world.membership().size());
        double meanGap = 1.0 / (ratePerNodePerMilli * live);
        nextAt += -meanGap * Math.log(1.0 - random.nextDouble());
        world.queue().at((long) Math.ceil(nextAt), this::fire);
    }

    private void fire() {
        if (world.membership().size() > 0) {
            int slot = world.membership().randomLive(random);
            NodeId target = NodeId.random(random);
            launch(slot, world.node(slot), target);
        }
        scheduleNext();
    }

    private void launch(int slot, SimNode node, NodeId target) {
        long start = world.now();
        started++;
        inFlight++;
        node.lookup(target).whenComplete((outcome, error) -> {
            inFlight--;
            if (!world.membership().isLive(slot)) {
                abandoned++; // the querier left mid-lookup: its answer says nothing about routing
                return;
            }
            long took = world.now() - start;
            if (error != null || outcome == null) {
                world.metrics().lookup(0, took, false, false, true, 0);
                return;
            }
            world.judgeLookup(slot, target, start, outcome, took);
            judgeFiner(slot, target, start, outcome.closest());
        });
    }

    private void judgeFiner(int querier, NodeId target, long start, List<NodeId> got) {
        Finer f = judge(world.membership(), world.k(), querier, target, start, got);
        world.metrics().lookupDetail(f.allButOne(), f.exactButForChurn());
    }

    /** The finer judgement of one lookup result (see {@link io.restfs.sim.metrics.Metrics#lookupDetail}). */
    record Finer(boolean allButOne, boolean exactButForChurn) {
    }

    /**
     * Judges {@code got}, the result of a lookup of {@code target} by slot {@code querier} started at {@code start},
     * against the true k closest that {@link World#judgeLookup} uses (live now, online since the start, the querier
     * excepted). A returned node closer than the farthest of them but not among them cannot have been online for the
     * whole lookup (every such node closer than the farthest is in the truth): it joined, or was still joining, or
     * left while the lookup ran, and it answered, so it may stand in for one of the farthest true nodes.
     */
    static Finer judge(Membership membership, int k, int querier, NodeId target, long start, List<NodeId> got) {
        int[] truth = membership.closest(target, k, start, querier);
        if (truth.length == 0) {
            return new Finer(false, false);
        }
        Set<NodeId> gotSet = new HashSet<>(got);
        Set<NodeId> truthSet = new HashSet<>();
        int missing = 0;
        for (int s : truth) {
            NodeId id = membership.idOf(s);
            truthSet.add(id);
            if (!gotSet.contains(id)) {
                missing++;
            }
        }
        NodeId farthest = membership.idOf(truth[truth.length - 1]);
        int standIns = 0;
        for (NodeId g : got) {
            if (!truthSet.contains(g) && target.compareDistance(g, farthest) < 0) {
                standIns++;
            }
        }
        boolean butForChurn = true;
        for (int i = 0; i < truth.length - standIns; i++) {
            if (!gotSet.contains(membership.idOf(truth[i]))) {
                butForChurn = false;
                break;
            }
        }
        return new Finer(missing <= 1, butForChurn);
    }

    @Override
    public void summarize(ObjectNode out) {
        ObjectNode o = out.putObject("lookups");
        o.put("rate_per_node", rateText);
        o.put("started", started);
        o.put("unfinished_at_end", inFlight);
        o.put("abandoned_by_departed_querier", abandoned);
        // The finer judgements per phase, beside the strict success_rate of the phase summaries.
        for (String phase : List.of(SimResult.SAFETY, SimResult.LIVENESS)) {
            Metrics.Totals t = world == null ? null : world.metrics().totals(phase);
            if (t != null && t.lookups > 0) {
                ObjectNode p = o.putObject(phase);
                p.put("success_rate_true_k_closest", rate(t.found, t.lookups));
                p.put("closest_found_rate", rate(t.closest, t.lookups));
                p.put("all_but_one_of_k_rate", rate(t.nearly, t.lookups));
                p.put("exact_but_for_churn_during_lookup_rate", rate(t.foundButForChurn, t.lookups));
            }
        }
    }

    /** Six decimals, as the phase summaries write rates. */
    private static double rate(long num, long den) {
        return den == 0 ? 0.0 : Math.round((double) num / den * 1e6) / 1e6;
    }
}
