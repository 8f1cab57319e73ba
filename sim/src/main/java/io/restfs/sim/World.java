package io.restfs.sim;

import io.restfs.dht.id.NodeId;
import io.restfs.sim.event.EventQueue;
import io.restfs.sim.metrics.Metrics;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A running simulation as a workload sees it: the clock and event queue, the live membership (the oracle),
 * the simulated nodes, the metrics, and the invariant checker. Workloads only read the membership; they
 * change the network solely by calling the nodes' real DHT API.
 */
public interface World {
    EventQueue queue();

    default long now() {
        return queue().nowMillis();
    }

    /** Virtual time since the measured phase started. */
    long elapsed();

    /** A generator derived from the run's seed for stream {@code name}; the same name gives the same stream. */
    RandomGenerator random(String name);

    Membership membership();

    /** The simulated node in slot {@code slot}, or null when that incarnation is gone. */
    SimNode node(int slot);

    Metrics metrics();

    /** Bucket size and lookup result size. */
    int k();

    /** Whether faults (loss, partitions, churn) are on: true in the safety phase. */
    boolean faultsOn();

    /** Records a broken invariant (the run goes on; the summary lists what broke). */
    void violation(String what);

    /**
     * Judges a finished lookup by node {@code querier} against the membership and records it: the true k
     * closest are the live nodes other than the querier (a lookup never returns its own node), online since
     * {@code startMillis} or earlier, closest to {@code target}.
     */
    void judgeLookup(int querier, NodeId target, long startMillis, SimNode.LookupOutcome outcome, long tookMillis);

    /** The k closest live nodes to {@code target}, online since {@code joinedBy}, closest first. */
    default List<NodeId> trueClosest(NodeId target, long joinedBy) {
        int[] slots = membership().closest(target, k(), joinedBy);
        NodeId[] ids = new NodeId[slots.length];
        for (int i = 0; i < slots.length; i++) {
            ids[i] = membership().idOf(slots[i]);
        }
        return List.of(ids);
    }
}
