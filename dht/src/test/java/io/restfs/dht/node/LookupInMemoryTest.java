package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.Liveness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookupInMemoryTest {
    @Test
    void lookupsInThreeHundredNodesFindTheTrueKClosest() {
        MemoryCluster cluster = new MemoryCluster(42, DhtConfig.defaults(), 5, 40);
        cluster.grow(300);
        int exact = 0;
        int hopsTotal = 0;
        for (int i = 0; i < 20; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(cluster.seeds.nextInt(cluster.nodes.size()));
            LookupResult r = cluster.await(from.lookup(target), 60_000);
            List<NodeId> expected = MemoryCluster.trueClosest(target,
                    cluster.nodes.stream().filter(n -> n != from).toList(), 20);
            List<NodeId> got = r.nodes().stream().map(n -> n.id()).toList();
            if (got.equals(expected)) {
                exact++;
            }
            hopsTotal += r.hops();
            assertTrue(r.queriesSent() < 200, "a lookup stays cheap: " + r.queriesSent() + " queries");
        }
        assertEquals(20, exact, "every lookup found exactly the true 20 closest");
        assertTrue(hopsTotal / 20.0 <= 6, "few hops on average: " + hopsTotal / 20.0);
    }

    @Test
    void withLostPacketsAndNoChurnALookupQueryGetsThreeSendsSoLivePeersAreNotMissed() {
        // 5% of packets lost: a query and its answer both arrive 90% of the time, so two sends miss a live peer
        // once in a hundred queries, three once in a thousand.
        MemoryCluster cluster = new MemoryCluster(23, DhtConfig.defaults(), 5, 40, 0.05);
        cluster.grow(200);
        int exact = 0;
        for (int i = 0; i < 30; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(cluster.seeds.nextInt(cluster.nodes.size()));
            LookupResult r = cluster.await(from.lookup(target), 60_000);
            if (r.nodes().stream().map(n -> n.id()).toList().equals(
                    MemoryCluster.trueClosest(target, cluster.nodes.stream().filter(n -> n != from).toList(), 20))) {
                exact++;
            }
        }
        assertTrue(exact >= 28, exact + " of 30 lookups found the true 20 closest");
    }

    @Test
    void onceAnswersStopBringingCloserNodesTheRestOfTheKClosestAreAskedAtOnce() {
        // Every packet takes 50 ms, so each round trip is 100 ms and virtual time counts round trips in sequence.
        MemoryCluster cluster = new MemoryCluster(3, DhtConfig.defaults(), 50, 50);
        cluster.grow(200);
        long worst = 0;
        for (int i = 0; i < 10; i++) {
            NodeId target = NodeId.random(cluster.seeds);
            DhtNode from = cluster.nodes.get(cluster.seeds.nextInt(cluster.nodes.size()));
            long start = cluster.time.nowMillis();
            LookupResult r = cluster.await(from.lookup(target), 60_000);
            worst = Math.max(worst, cluster.time.nowMillis() - start);
            assertEquals(MemoryCluster.trueClosest(target, cluster.nodes.stream().filter(n -> n != from).toList(), 20),
                    r.nodes().stream().map(n -> n.id()).toList(), "the true 20 closest");
        }
        // Asking the 20 closest three at a time takes at least 7 round trips after the neighbourhood is found; the
        // final round asks the rest together: a few round trips to get there, one more for the rest.
        assertTrue(worst <= 600, "slowest lookup took " + worst + " ms of virtual time, over 6 round trips");
    }

    @Test
    void departedNodesStillInEveryTableDoNotHideTheFarthestOfTheKClosestLiveOnes() {
        MemoryCluster cluster = new MemoryCluster(21, DhtConfig.defaults(), 5, 20);
        cluster.grow(200);
        List<String> wrong = new ArrayList<>();
        List<DhtNode> gone = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            NodeId target = NodeId.random(cluster.seeds);
            List<DhtNode> byDistance = new ArrayList<>(cluster.nodes);
            byDistance.removeAll(gone);
            byDistance.sort((a, b) -> target.compareDistance(a.id(), b.id()));
            // The four closest depart silently: the tables near the target still hold them as good contacts, so an
            // answer of exactly k = 20 carries them and only 16 live ones, and the farthest live ones of the true
            // 20 closest may appear in no answer at all.
            for (DhtNode n : byDistance.subList(0, 4)) {
                cluster.network.setDown(n.localAddress(), true);
                gone.add(n);
            }
            DhtNode from = byDistance.get(byDistance.size() - 1);
            LookupResult r = cluster.await(from.lookup(target), 60_000);
            List<NodeId> live = MemoryCluster.trueClosest(target, byDistance.subList(4, byDistance.size() - 1), 20);
            if (!live.equals(r.nodes().stream().map(n -> n.id()).toList())) {
                wrong.add("round " + round);
            }
        }
        assertEquals(List.of(), wrong, "lookups that missed one of the true 20 closest live nodes");
    }

    @Test
    void deadPeersCostOneSoftTimeoutNotTheWholeLookup() {
        MemoryCluster cluster = new MemoryCluster(7, DhtConfig.defaults(), 5, 20);
        cluster.grow(120);
        DhtNode from = cluster.nodes.get(0);
        NodeId target = NodeId.random(cluster.seeds);
        // Kill the five live nodes closest to the target (other than the asker): they are in every path.
        List<DhtNode> others = new ArrayList<>(cluster.nodes.subList(1, cluster.nodes.size()));
        List<NodeId> closest = killClosest(cluster, target, others, 5);
        long start = cluster.time.nowMillis();
        LookupResult r = cluster.await(from.lookup(target), 60_000);
        long took = cluster.time.nowMillis() - start;
        List<NodeId> live = MemoryCluster.trueClosest(target,
                others.stream().filter(n -> !closest.contains(n.id())).toList(), 20);
        assertEquals(live, r.nodes().stream().map(n -> n.id()).toList(), "the true 20 closest live nodes");
        assertTrue(r.softTimeouts() + r.timeouts() >= 1, "it did meet the dead peers");
        // Five dead peers with 2 s first-attempt timeouts, three slots: bounded by a few timeouts, not 5 x 2 attempts.
        assertTrue(took < 8_000, "lookup took " + took + " ms of virtual time");
    }

    @Test
    void onceChurnShowsADeadCandidateHoldsTheLookupForTwoTimeoutsInsteadOfThree() {
        // Every packet takes 50 ms: round trips of 100 ms, so a stranger's timeout is the 250 ms floor.
        MemoryCluster cluster = new MemoryCluster(9, DhtConfig.defaults(), 50, 50);
        cluster.grow(150);
        DhtNode from = cluster.nodes.get(0);
        NodeId target = NodeId.random(cluster.seeds);
        killClosest(cluster, target, cluster.nodes.subList(1, cluster.nodes.size()), 3);
        // The first lookup is the first sign of churn: its queries get three sends of 250 ms each.
        LookupResult first = cluster.await(from.lookup(target), 60_000);
        assertTrue(first.timeouts() >= 1, "met the dead: " + first);
        // The same lookup again: the dead are still named by some neighbours, and now each costs 2 x 250 ms.
        LookupResult second = cluster.await(from.lookup(target), 60_000);
        assertTrue(second.timeouts() >= 1, "met the dead again: " + second);
        assertEquals(first.nodes(), second.nodes(), "the same true 20 closest live nodes");
        assertTrue(second.durationMillis() <= first.durationMillis() - 200,
                "with two sends the wait for the dead shrinks by a timeout: " + first.durationMillis() + " -> "
                        + second.durationMillis() + " ms");
    }

    @Test
    void aLookupTellsWhoNamedEachDepartedCandidateAndThatPeerStopsHandingItOutWithinSeconds() {
        MemoryCluster cluster = new MemoryCluster(19, DhtConfig.defaults(), 5, 20);
        cluster.grow(150);
        DhtNode from = cluster.nodes.get(0);
        NodeId target = NodeId.random(cluster.seeds);
        List<DhtNode> others = cluster.nodes.subList(1, cluster.nodes.size());
        List<NodeId> dead = killClosest(cluster, target, others, 3);
        List<DhtNode> holders = others.stream().filter(n -> !dead.contains(n.id())).toList();
        int before = deadHandedOut(cluster, holders, dead);
        assertTrue(before >= 10, "the departed are in their neighbours' tables: " + before);

        LookupResult r = cluster.await(from.lookup(target), 60_000);
        assertTrue(r.timeouts() >= 3, "met the departed: " + r);
        long reports = cluster.await(from.stats(), 1_000).rpc().sentByMethod().getOrDefault("restfs_silent", 0L);
        // Each to at most the first three candidates that named it (one from our own table may have no namer).
        assertTrue(reports >= r.timeouts() && reports <= 3L * r.timeouts(),
                reports + " reports for " + r.timeouts() + " timeouts");
        // Each report is checked with a ping that goes unanswered, then its second chance: bad within seconds.
        cluster.time.advance(10_000);
        assertEquals(before - reports, deadHandedOut(cluster, holders, dead),
                "every peer told stopped handing its departed contact out; the others, untold, did not yet");
    }

    /** How many (holder, departed node) pairs there are where the holder would still hand the departed node out. */
    private static int deadHandedOut(MemoryCluster cluster, List<DhtNode> holders, List<NodeId> dead) {
        int n = 0;
        for (DhtNode h : holders) {
            n += (int) cluster.await(h.contacts(), 1_000).stream()
                    .filter(c -> dead.contains(c.id()) && c.liveness() != Liveness.BAD).count();
        }
        return n;
    }

    @Test
    void forgottenPeersAreNeverQueriedUntilTheyShowUpThemselves() {
        MemoryCluster cluster = new MemoryCluster(11, DhtConfig.defaults(), 5, 20);
        cluster.grow(12);
        DhtNode from = cluster.nodes.get(0);
        // A network smaller than k: every lookup's answer holds every node, so each dead one is waited for.
        List<DhtNode> dead = List.of(cluster.nodes.get(3), cluster.nodes.get(7));
        for (DhtNode n : dead) {
            cluster.network.setDown(n.localAddress(), true);
        }
        NodeId target = NodeId.random(cluster.seeds);
        LookupResult unaware = cluster.await(from.lookup(target), 60_000);
        assertTrue(unaware.timeouts() >= 1, "without forget the dead nodes cost timeouts: " + unaware);

        for (DhtNode n : dead) {
            cluster.await(from.forget(n.id()), 1_000);
        }
        long start = cluster.time.nowMillis();
        LookupResult r = cluster.await(from.lookup(NodeId.random(cluster.seeds)), 60_000);
        long took = cluster.time.nowMillis() - start;
        assertEquals(0, r.timeouts() + r.softTimeouts(), "live peers still name the dead ones, but none is asked: " + r);
        assertEquals(cluster.nodes.size() - 1 - dead.size(), r.nodes().size());
        assertTrue(took < 1_000, "no timeout waited out: " + took + " ms of virtual time");
        for (DhtNode n : dead) {
            assertTrue(r.nodes().stream().noneMatch(a -> a.id().equals(n.id())));
        }

        // One comes back and queries us: it is a candidate again at once.
        DhtNode back = dead.get(0);
        cluster.network.setDown(back.localAddress(), false);
        cluster.await(back.ping(from.localAddress()), 10_000);
        LookupResult after = cluster.await(from.lookup(NodeId.random(cluster.seeds)), 60_000);
        assertTrue(after.nodes().stream().anyMatch(a -> a.id().equals(back.id())), "the returned node is found");
    }

    @Test
    void aPeerThatMissesACallGetsItsSecondChanceAtOnceAndIsBadWithinSecondsWhenDead() {
        MemoryCluster cluster = new MemoryCluster(13, DhtConfig.defaults(), 5, 20);
        cluster.grow(12);
        DhtNode from = cluster.nodes.get(0);
        // A network smaller than k: every lookup's answer holds every node, so each one is asked.
        DhtNode dead = cluster.nodes.get(4);
        DhtNode stalled = cluster.nodes.get(9);
        for (DhtNode n : List.of(dead, stalled)) {
            assertEquals(Liveness.GOOD, livenessAt(cluster, from, n), "answered us while the cluster grew");
            cluster.network.setDown(n.localAddress(), true);
        }
        LookupResult r = cluster.await(from.lookup(NodeId.random(cluster.seeds)), 60_000);
        assertTrue(r.timeouts() >= 2, "the lookup met both silent nodes: " + r);
        // The stalled one comes back at once; the dead one stays silent. The second chance is a ping sent right away.
        cluster.network.setDown(stalled.localAddress(), false);
        cluster.time.advance(10_000);
        assertEquals(Liveness.BAD, livenessAt(cluster, from, dead), "missed its call and the ping after it");
        assertEquals(Liveness.GOOD, livenessAt(cluster, from, stalled), "answered its second chance");
    }

    @Test
    void onceChurnShowsSilentNeighboursArePingedAfterFiveMinutesAndFarMembersAfterFifteen() {
        MemoryCluster cluster = new MemoryCluster(17, DhtConfig.defaults(), 5, 20);
        cluster.grow(200);
        DhtNode holder = cluster.nodes.get(0);
        List<NodeId> byDistance = cluster.await(holder.contacts(), 1_000).stream().map(Contact::id)
                .sorted((a, b) -> holder.id().compareDistance(a, b)).toList();
        assertTrue(byDistance.size() > 3 * DhtConfig.defaults().k(), "a table wider than the neighbourhood");
        DhtNode neighbour = nodeWith(cluster, byDistance.get(0));
        DhtNode liveNeighbour = nodeWith(cluster, byDistance.get(1));
        DhtNode gone = nodeWith(cluster, byDistance.get(byDistance.size() / 2));
        DhtNode far = nodeWith(cluster, byDistance.get(byDistance.size() - 1));
        for (DhtNode n : List.of(neighbour, gone, far)) {
            assertEquals(Liveness.GOOD, livenessAt(cluster, holder, n), "heard from while the cluster grew");
            cluster.network.setDown(n.localAddress(), true);
        }
        long pingsBefore = pingsSent(cluster, holder);
        // Past the neighbours' silence limit and two maintenance passes, well inside BEP 5's 15 minutes.
        long wait = DhtNode.NEIGHBOUR_SILENCE_MILLIS + 2 * DhtConfig.DEFAULT_MAINTENANCE_MILLIS;
        cluster.time.advance(wait);
        assertEquals(Liveness.GOOD, livenessAt(cluster, holder, neighbour), "no churn seen yet: no early pings");
        assertEquals(pingsBefore, pingsSent(cluster, holder));

        // A lookup meets a departed node: churn shows, and the neighbours silent for 5 minutes are pinged.
        LookupResult r = cluster.await(holder.lookup(gone.id()), 60_000);
        assertTrue(r.timeouts() >= 1, "the lookup met the departed node: " + r);
        cluster.time.advance(wait);
        assertEquals(Liveness.BAD, livenessAt(cluster, holder, neighbour), "a departed neighbour is found out");
        assertEquals(Liveness.GOOD, livenessAt(cluster, holder, liveNeighbour), "a live one answers its ping");
        assertEquals(Liveness.GOOD, livenessAt(cluster, holder, far), "a far member keeps the 15-minute rule");
        long pings = pingsSent(cluster, holder) - pingsBefore;
        // Seven minutes hold two rounds: each of the 2k closest pinged at most twice, the dead a few times more.
        assertTrue(pings >= 2 && pings <= 2 * DhtNode.NEIGHBOURS_PER_K * DhtConfig.defaults().k() + 12,
                "pings: " + pings);
    }

    /** Silences the {@code n} nodes of {@code among} closest to {@code target}; returns their ids. */
    private static List<NodeId> killClosest(MemoryCluster cluster, NodeId target, List<DhtNode> among, int n) {
        List<NodeId> closest = MemoryCluster.trueClosest(target, among, n);
        for (DhtNode node : among) {
            if (closest.contains(node.id())) {
                cluster.network.setDown(node.localAddress(), true);
            }
        }
        return closest;
    }

    private static DhtNode nodeWith(MemoryCluster cluster, NodeId id) {
        return cluster.nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    private static long pingsSent(MemoryCluster cluster, DhtNode node) {
        return cluster.await(node.stats(), 1_000).rpc().sentByMethod().getOrDefault("ping", 0L);
    }

    private static Liveness livenessAt(MemoryCluster cluster, DhtNode holder, DhtNode peer) {
        return cluster.await(holder.contacts(), 1_000).stream().filter(c -> c.id().equals(peer.id()))
                .map(Contact::liveness).findFirst().orElse(Liveness.BAD);
    }

    @Test
    void idleBucketsAreRefreshedWithLookupsAndTheTableIsSaved() {
        MemoryCluster cluster = new MemoryCluster(5, DhtConfig.defaults(), 5, 20);
        io.restfs.dht.persist.MemoryStateStore state = new io.restfs.dht.persist.MemoryStateStore();
        cluster.grow(40);
        DhtNode node = cluster.add(state);
        DhtNode survivor = cluster.nodes.get(0);
        cluster.await(node.bootstrap(List.of(survivor.localAddress())), 30_000);
        // All peers but one go away. A bucket whose members answer its pings counts as changed (BEP 5), and the
        // neighbours' pings and the questionable pings come as often as a refresh would; the buckets of the departed
        // fall idle once their failed members and replacements are used up, and their refresh lookups go to the
        // survivor.
        for (DhtNode n : cluster.nodes) {
            if (n != node && n != survivor) {
                cluster.network.setDown(n.localAddress(), true);
            }
        }
        long before = cluster.await(node.stats(), 1_000).rpc().sentByMethod().getOrDefault("find_node", 0L);
        cluster.time.advance(2 * io.restfs.dht.routing.RoutingTable.REFRESH_AFTER_MILLIS + 2 * 60_000);
        long after = cluster.await(node.stats(), 1_000).rpc().sentByMethod().getOrDefault("find_node", 0L);
        assertTrue(after > before, "refresh lookups were sent: " + before + " -> " + after);
        assertEquals(cluster.await(node.contacts(), 1_000).size(), state.loadContacts().size(),
                "the maintenance pass saved the routing table");
    }
}
