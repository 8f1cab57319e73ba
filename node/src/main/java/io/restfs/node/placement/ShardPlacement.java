package io.restfs.node.placement;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.dht.id.NodeId;

/**
 * Chooses which node holds each shard of a segment: shard i of segment s goes to the node closest by XOR to
 * {@link #shardTarget key(s, i)} among the candidates that do not yet hold a shard of s, preferring nodes of a
 * failure group the segment does not use yet (zstor's groups, QFS's racks). Pure and deterministic: the same
 * candidates give the same answer in any order, so a reader can recompute where shards went.
 */
public final class ShardPlacement {

    private ShardPlacement() {
    }

    /** key(s, i) = SHA-1(segment id || i as 4 bytes big-endian), a point in the DHT's id space. */
    public static NodeId shardTarget(SegmentId segment, int index) {
        return NodeId.sha1(segment.toBytes(), ByteBuffer.allocate(Integer.BYTES).putInt(index).array());
    }

    /**
     * A holder for every shard 0..shardCount-1 of {@code segment}.
     *
     * @param shardBytes    the size of one shard: candidates advertising less free space are skipped
     * @param allowDoubleUp whether a node may hold several shards of the segment when nodes are too few
     * @throws RestfsException {@link ErrorCode#INSUFFICIENT_NODES} when fewer distinct candidates than shards
     *     and doubling up is not allowed (or there is no candidate at all), {@link ErrorCode#CAPACITY_EXCEEDED}
     *     when there would be enough nodes but too few have room
     */
    public static List<Candidate> place(SegmentId segment, int shardCount, long shardBytes,
            Collection<Candidate> candidates, boolean allowDoubleUp) {
        Map<NodeId, Candidate> all = distinct(candidates);
        List<Candidate> roomy = all.values().stream().filter(c -> c.freeBytes() >= shardBytes).toList();
        if (roomy.size() < shardCount && (!allowDoubleUp || roomy.isEmpty())) {
            if (all.size() >= shardCount || (allowDoubleUp && !all.isEmpty())) {
                throw new RestfsException(ErrorCode.CAPACITY_EXCEEDED, "segment " + segment + " needs " + shardCount
                        + " nodes with " + shardBytes + " bytes free, only " + roomy.size() + " of " + all.size()
                        + " known data nodes have room");
            }
            throw insufficient(segment, shardCount, all.size(), allowDoubleUp);
        }
        List<Candidate> chosen = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) {
            Candidate c = choose(segment, i, shardBytes, roomy, chosen, Set.of(), allowDoubleUp)
                    .orElseThrow(() -> insufficient(segment, shardCount, roomy.size(), allowDoubleUp));
            chosen.add(c);
        }
        return List.copyOf(chosen);
    }

    /**
     * The holder for shard {@code index} given the holders already chosen for the segment's other shards
     * ({@code others}) and nodes not to use ({@code excluded}, e.g. those that just failed): used by
     * {@link #place} and to retry a shard on the next-closest node.
     */
    public static Optional<Candidate> choose(SegmentId segment, int index, long shardBytes,
            Collection<Candidate> candidates, List<Candidate> others, Set<NodeId> excluded, boolean allowDoubleUp) {
        NodeId target = shardTarget(segment, index);
        Set<NodeId> holding = new HashSet<>();
        Set<String> groups = new HashSet<>();
        Map<NodeId, Integer> load = new LinkedHashMap<>();
        for (Candidate o : others) {
            holding.add(o.id());
            groups.add(o.group());
            load.merge(o.id(), 1, Integer::sum);
        }
        Comparator<Candidate> byDistance = (a, b) -> target.compareDistance(a.id(), b.id());
        List<Candidate> eligible = distinct(candidates).values().stream()
                .filter(c -> !excluded.contains(c.id()) && c.freeBytes() >= shardBytes)
                .sorted(byDistance)
                .toList();
        // First a node in a group the segment does not use yet, then any node without a shard of it.
        Optional<Candidate> fresh = eligible.stream()
                .filter(c -> !holding.contains(c.id()) && !groups.contains(c.group())).findFirst();
        if (fresh.isPresent()) {
            return fresh;
        }
        Optional<Candidate> unused = eligible.stream().filter(c -> !holding.contains(c.id())).findFirst();
        if (unused.isPresent() || !allowDoubleUp) {
            return unused;
        }
        // Doubling up: the least loaded node, closest first among equals, so shards spread evenly.
        return eligible.stream()
                .min(Comparator.<Candidate>comparingInt(c -> load.getOrDefault(c.id(), 0)).thenComparing(byDistance));
    }

    /** One entry per node id; when a node appears twice, the local flag wins (it is stored without the network). */
    private static Map<NodeId, Candidate> distinct(Collection<Candidate> candidates) {
        Map<NodeId, Candidate> byId = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            byId.merge(c.id(), c, (a, b) -> a.local() ? a : b);
        }
        return byId;
    }

    private static RestfsException insufficient(SegmentId segment, int needed, int have, boolean allowDoubleUp) {
        return new RestfsException(ErrorCode.INSUFFICIENT_NODES, "segment " + segment + " has " + needed
                + " shards but only " + have + " data nodes are known" + (allowDoubleUp ? ""
                : ", and the bucket does not allow a node to hold more than one shard of a segment"));
    }
}
