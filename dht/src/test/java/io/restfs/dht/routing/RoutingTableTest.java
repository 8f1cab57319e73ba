package io.restfs.dht.routing;

import io.restfs.dht.env.VirtualTime;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.NodeInfo;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTableTest {
    private static final NodeId SELF = NodeId.fromHex("0000000000000000000000000000000000000000");
    private final VirtualTime time = new VirtualTime();
    private int port = 1000;

    private InetSocketAddress nextAddress() {
        try {
            int p = port++;
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (p >> 8), (byte) p}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An id whose first bit is set: it shares 0 bits with SELF, so it always lands in bucket 0. */
    private static NodeId farId(int n) {
        byte[] b = new byte[NodeId.LENGTH];
        b[0] = (byte) 0x80;
        b[19] = (byte) n;
        b[18] = (byte) (n >> 8);
        return NodeId.of(b);
    }

    @Test
    void splitsOnlyTheBucketHoldingItsOwnId() {
        RoutingTable table = new RoutingTable(SELF, 4, time);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 400; i++) {
            table.observe(NodeId.random(random), nextAddress(), true);
        }
        assertTrue(table.bucketCount() > 1, "the own bucket split");
        for (int i = 0; i < table.bucketCount(); i++) {
            List<Contact> members = table.bucket(i);
            assertTrue(members.size() <= 4);
            for (Contact c : members) {
                int cpl = SELF.commonPrefixLength(c.id());
                if (i < table.bucketCount() - 1) {
                    assertEquals(i, cpl, "bucket " + i + " holds only ids sharing exactly " + i + " bits");
                } else {
                    assertTrue(cpl >= i);
                }
            }
        }
        // Far buckets filled early and did not split: bucket 0 holds exactly k.
        assertEquals(4, table.bucket(0).size());
    }

    @Test
    void fullFarBucketParksNewcomersInReplacementCacheAndAsksForAPing() {
        RoutingTable table = new RoutingTable(SELF, 2, time);
        // Force one split so bucket 0 (ids starting with 1) is no longer the splittable one.
        table.observe(NodeId.fromHex("4000000000000000000000000000000000000000"), nextAddress(), true);
        table.observe(farId(1), nextAddress(), true);
        table.observe(farId(2), nextAddress(), true);
        assertTrue(table.bucketCount() >= 2);
        Observation third = table.observe(farId(3), nextAddress(), true);
        Observation.Cached cached = assertInstanceOf(Observation.Cached.class, third);
        assertTrue(cached.pingCandidate().isEmpty(), "both members are good: nobody to ping");
        assertEquals(List.of(farId(3)), table.replacements(0).stream().map(Contact::id).toList());

        time.advance(RoutingTable.QUESTIONABLE_AFTER_MILLIS);
        Observation fourth = table.observe(farId(4), nextAddress(), true);
        Observation.Cached again = assertInstanceOf(Observation.Cached.class, fourth);
        assertEquals(farId(1), again.pingCandidate().orElseThrow().id(), "least recently seen questionable one");
    }

    @Test
    void badMemberIsEvictedInFavourOfNewestReplacement() {
        RoutingTable table = new RoutingTable(SELF, 2, time);
        table.observe(NodeId.fromHex("4000000000000000000000000000000000000000"), nextAddress(), true);
        table.observe(farId(1), nextAddress(), true);
        table.observe(farId(2), nextAddress(), true);
        table.observe(farId(3), nextAddress(), true);
        table.observe(farId(4), nextAddress(), true);
        table.failed(farId(1));
        assertEquals(Liveness.QUESTIONABLE, table.liveness(farId(1)), "one failure makes it questionable");
        assertTrue(table.get(farId(1)).isPresent());
        table.failed(farId(1));
        assertTrue(table.get(farId(1)).isEmpty(), "two failures in a row: bad, evicted");
        assertTrue(table.get(farId(4)).isPresent(), "the newest replacement took the slot");
        assertEquals(List.of(farId(3)), table.replacements(0).stream().map(Contact::id).toList());
    }

    @Test
    void badMemberWithoutReplacementIsOverwrittenByNextNewcomer() {
        RoutingTable table = new RoutingTable(SELF, 2, time);
        table.observe(NodeId.fromHex("4000000000000000000000000000000000000000"), nextAddress(), true);
        table.observe(farId(1), nextAddress(), true);
        table.observe(farId(2), nextAddress(), true);
        table.failed(farId(2));
        table.failed(farId(2));
        assertEquals(Liveness.BAD, table.liveness(farId(2)));
        assertFalse(table.closest(farId(2), 10).stream().anyMatch(c -> c.id().equals(farId(2))),
                "bad nodes are never offered as closest");
        Observation o = table.observe(farId(5), nextAddress(), true);
        assertEquals(new Observation.Added(java.util.Optional.of(farId(2))), o);
    }

    @Test
    void livenessGoesQuestionableAfterFifteenMinutesOfSilenceAndBackToGoodOnResponse() {
        RoutingTable table = new RoutingTable(SELF, 8, time);
        InetSocketAddress a = nextAddress();
        table.observe(farId(1), a, true);
        assertEquals(Liveness.GOOD, table.liveness(farId(1)));
        time.advance(RoutingTable.QUESTIONABLE_AFTER_MILLIS - 1);
        assertEquals(Liveness.GOOD, table.liveness(farId(1)));
        time.advance(1);
        assertEquals(Liveness.QUESTIONABLE, table.liveness(farId(1)));
        table.observe(farId(1), a, true);
        assertEquals(Liveness.GOOD, table.liveness(farId(1)));
        table.observe(farId(2), nextAddress(), false);
        assertEquals(Liveness.QUESTIONABLE, table.liveness(farId(2)), "a node that never answered us is questionable");
    }

    @Test
    void nodeThatNeverAnsweredIsBadAfterOneFailure() {
        RoutingTable table = new RoutingTable(SELF, 8, time);
        table.observe(farId(1), nextAddress(), false);
        assertEquals(Liveness.QUESTIONABLE, table.liveness(farId(1)));
        table.failed(farId(1));
        assertEquals(Liveness.BAD, table.liveness(farId(1)), "a querier we could never reach may be spoofed");
    }

    @Test
    void knownIdFromAnotherAddressIsRejected() {
        RoutingTable table = new RoutingTable(SELF, 8, time);
        InetSocketAddress a = nextAddress();
        table.observe(farId(1), a, true);
        assertInstanceOf(Observation.Rejected.class, table.observe(farId(1), nextAddress(), true));
        assertEquals(a, table.get(farId(1)).orElseThrow().address());
        assertInstanceOf(Observation.Rejected.class, table.observe(SELF, nextAddress(), true));
        table.failed(farId(1));
        table.failed(farId(1));
        InetSocketAddress moved = nextAddress();
        assertInstanceOf(Observation.Added.class, table.observe(farId(1), moved, true),
                "once bad at its old address, the id may come back from a new one");
        assertEquals(moved, table.get(farId(1)).orElseThrow().address());
    }

    @Test
    void idleBucketsFallDueForRefreshWithATargetInTheirRange() {
        RoutingTable table = new RoutingTable(SELF, 4, time);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            table.observe(NodeId.random(random), nextAddress(), true);
        }
        assertTrue(table.refreshTargets(random).isEmpty(), "nothing is idle yet");
        time.advance(RoutingTable.REFRESH_AFTER_MILLIS);
        List<NodeId> targets = table.refreshTargets(random);
        assertEquals(table.bucketCount(), targets.size());
        Set<Integer> hit = new HashSet<>();
        for (NodeId t : targets) {
            hit.add(table.bucketIndex(t));
        }
        assertEquals(table.bucketCount(), hit.size(), "one target in each bucket's own range");
        assertTrue(table.refreshTargets(random).isEmpty(), "issuing a target resets the bucket's due time");
    }

    /**
     * closest() against a sort of every member by whole distance, with ids made to tie: some share their first 64 bits
     * (the selection's sort key) with another member, some differ from one only in the key's low bits (where a
     * selection that packed bookkeeping into the key would confuse them).
     */
    @Test
    void closestIsTheTrueClosestEvenWhenIdPrefixesTie() {
        RoutingTable table = new RoutingTable(SELF, 20, time);
        SplittableRandom random = new SplittableRandom(7);
        List<NodeId> seen = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] id = NodeId.random(random).toBytes();
            if (!seen.isEmpty() && i % 3 != 0) {
                byte[] other = seen.get(random.nextInt(seen.size())).toBytes();
                // Either the whole first 8 bytes, or all of them but the last byte's low bits.
                System.arraycopy(other, 0, id, 0, 8);
                if (i % 3 == 2) {
                    id[7] = (byte) ((other[7] & 0xF0) | random.nextInt(16));
                }
            }
            NodeId nodeId = NodeId.of(id);
            seen.add(nodeId);
            table.observe(nodeId, nextAddress(), true);
        }
        List<Contact> members = table.contacts();
        for (int t = 0; t < 60; t++) {
            byte[] target = seen.get(random.nextInt(seen.size())).toBytes();
            target[19] ^= (byte) (1 + random.nextInt(255)); // next to a member, so the ties around it decide
            NodeId to = NodeId.of(target);
            for (int n : new int[] {1, 7, 20, 45}) {
                List<NodeId> expected = members.stream().map(Contact::id).sorted(RoutingTable.byDistanceTo(to))
                        .limit(n).toList();
                String where = "target " + to + ", n " + n;
                assertEquals(expected, table.closest(to, n).stream().map(Contact::id).toList(), where);
                assertEquals(expected, table.closestNodes(to, n).stream().map(NodeInfo::id).toList(), where);
            }
        }
    }

    @Test
    void closestReturnsMembersInXorOrder() {
        RoutingTable table = new RoutingTable(SELF, 20, time);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            table.observe(NodeId.random(random), nextAddress(), true);
        }
        NodeId target = NodeId.random(random);
        List<Contact> closest = table.closest(target, 20);
        assertEquals(20, closest.size());
        for (int i = 1; i < closest.size(); i++) {
            assertTrue(target.compareDistance(closest.get(i - 1).id(), closest.get(i).id()) < 0);
        }
        NodeId best = closest.get(0).id();
        for (Contact c : table.contacts()) {
            assertTrue(target.compareDistance(best, c.id()) <= 0);
        }
    }
}
