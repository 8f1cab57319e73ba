package io.restfs.node.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.dht.id.NodeId;

class ShardPlacementTest {
    private static final long GB = 1L << 30;

    private static List<Candidate> nodes(int n, int groups, long seed) {
        Random r = new Random(seed);
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[NodeId.LENGTH];
            r.nextBytes(id);
            out.add(new Candidate(NodeId.of(id), new InetSocketAddress("127.0.0.1", 7000 + i), "g" + (i % groups), GB,
                    false));
        }
        return out;
    }

    private static SegmentId segment(long seed) {
        byte[] b = new byte[SegmentId.LENGTH];
        new Random(seed).nextBytes(b);
        return SegmentId.of(b);
    }

    @Test
    void placesEachShardOnTheClosestNodeWhenAllGroupsDiffer() {
        List<Candidate> nodes = nodes(12, 12, 1);
        SegmentId s = segment(2);
        List<Candidate> placed = ShardPlacement.place(s, 6, 1000, nodes, false);
        Set<NodeId> used = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            NodeId target = ShardPlacement.shardTarget(s, i);
            Candidate closestUnused = nodes.stream().filter(c -> !used.contains(c.id()))
                    .min((a, b) -> target.compareDistance(a.id(), b.id())).orElseThrow();
            assertEquals(closestUnused, placed.get(i), "shard " + i);
            used.add(placed.get(i).id());
        }
    }

    @Test
    void spreadsOverFailureGroupsBeforeReusingOne() {
        List<Candidate> nodes = nodes(12, 3, 3);
        for (int seed = 0; seed < 50; seed++) {
            List<Candidate> placed = ShardPlacement.place(segment(seed), 3, 1000, nodes, false);
            assertEquals(3, placed.stream().map(Candidate::group).distinct().count(), "segment seed " + seed);
            List<Candidate> six = ShardPlacement.place(segment(seed), 6, 1000, nodes, false);
            assertEquals(3, six.subList(0, 3).stream().map(Candidate::group).distinct().count());
            assertEquals(6, six.stream().map(Candidate::id).distinct().count(), "no node holds two shards");
        }
    }

    @Test
    void isDeterministicWhateverTheCandidateOrder() {
        List<Candidate> nodes = nodes(10, 4, 4);
        List<Candidate> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(9));
        shuffled.sort(Comparator.comparing(c -> c.group()));
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(ShardPlacement.place(segment(seed), 6, 10, nodes, false),
                    ShardPlacement.place(segment(seed), 6, 10, shuffled, false));
        }
    }

    @Test
    void refusesFewerNodesThanShardsUnlessDoublingUpIsAllowed() {
        List<Candidate> nodes = nodes(4, 4, 5);
        RestfsException e = assertThrows(RestfsException.class,
                () -> ShardPlacement.place(segment(1), 6, 10, nodes, false));
        assertEquals(ErrorCode.INSUFFICIENT_NODES, e.code());
        assertTrue(e.getMessage().contains("6 shards but only 4"), e.getMessage());

        List<Candidate> doubled = ShardPlacement.place(segment(1), 6, 10, nodes, true);
        assertEquals(6, doubled.size());
        assertEquals(4, doubled.stream().map(Candidate::id).distinct().count(), "every node used before doubling");
        long maxPerNode = doubled.stream().collect(java.util.stream.Collectors.groupingBy(Candidate::id,
                java.util.stream.Collectors.counting())).values().stream().max(Long::compare).orElseThrow();
        assertEquals(2, maxPerNode, "doubling spreads evenly: 6 shards on 4 nodes is at most 2 each");
    }

    @Test
    void refusesWithNoCandidatesEvenWhenDoublingIsAllowed() {
        RestfsException e = assertThrows(RestfsException.class,
                () -> ShardPlacement.place(segment(1), 2, 10, List.of(), true));
        assertEquals(ErrorCode.INSUFFICIENT_NODES, e.code());
    }

    @Test
    void skipsNodesWithoutRoomAndSaysCapacityWhenTooFewHaveIt() {
        List<Candidate> nodes = new ArrayList<>(nodes(6, 6, 6));
        Candidate full = nodes.get(0);
        nodes.set(0, new Candidate(full.id(), full.shardAddress(), full.group(), 5, false));
        List<Candidate> placed = ShardPlacement.place(segment(3), 5, 10, nodes, false);
        assertTrue(placed.stream().noneMatch(c -> c.id().equals(full.id())));
        RestfsException e = assertThrows(RestfsException.class,
                () -> ShardPlacement.place(segment(3), 6, 10, nodes, false));
        assertEquals(ErrorCode.CAPACITY_EXCEEDED, e.code());
    }

    @Test
    void replacementExcludesFailedNodesAndThoseHoldingOtherShards() {
        List<Candidate> nodes = nodes(8, 8, 7);
        SegmentId s = segment(4);
        List<Candidate> placed = ShardPlacement.place(s, 6, 10, nodes, false);
        List<Candidate> others = new ArrayList<>(placed);
        Candidate failed = others.remove(2);
        Optional<Candidate> next = ShardPlacement.choose(s, 2, 10, nodes, others, Set.of(failed.id()), false);
        assertTrue(next.isPresent());
        assertNotEquals(failed.id(), next.get().id());
        assertTrue(others.stream().noneMatch(o -> o.id().equals(next.get().id())));
        // Only the two spare nodes remain; excluding both leaves nothing without doubling up.
        Set<NodeId> spareAndFailed = new HashSet<>();
        nodes.stream().filter(c -> others.stream().noneMatch(o -> o.id().equals(c.id())))
                .forEach(c -> spareAndFailed.add(c.id()));
        assertTrue(ShardPlacement.choose(s, 2, 10, nodes, others, spareAndFailed, false).isEmpty());
        assertTrue(ShardPlacement.choose(s, 2, 10, nodes, others, spareAndFailed, true).isPresent());
    }

    @Test
    void localNodeIsACandidateLikeAnyOther() {
        List<Candidate> nodes = new ArrayList<>(nodes(5, 5, 8));
        SegmentId s = segment(5);
        NodeId target = ShardPlacement.shardTarget(s, 0);
        // A local node sitting exactly on shard 0's key must get it.
        Candidate local = new Candidate(target, new InetSocketAddress("127.0.0.1", 9999), "local", GB, true);
        nodes.add(local);
        assertEquals(local, ShardPlacement.place(s, 6, 10, nodes, false).get(0));
    }

    @Test
    void shardTargetsDifferPerIndexAndSegment() {
        SegmentId s = segment(6);
        assertNotEquals(ShardPlacement.shardTarget(s, 0), ShardPlacement.shardTarget(s, 1));
        assertNotEquals(ShardPlacement.shardTarget(s, 0), ShardPlacement.shardTarget(segment(7), 0));
        assertEquals(ShardPlacement.shardTarget(s, 3), ShardPlacement.shardTarget(SegmentId.of(s.toBytes()), 3));
    }
}
