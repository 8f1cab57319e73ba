package io.restfs.sim.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import io.restfs.sim.SimNode;
import io.restfs.sim.World;
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
        });
    }

    @Override
    public void summarize(ObjectNode out) {
        ObjectNode o = out.putObject("lookups");
        o.put("rate_per_node", rateText);
        o.put("started", started);
        o.put("unfinished_at_end", inFlight);
        o.put("abandoned_by_departed_querier", abandoned);
    }
}
