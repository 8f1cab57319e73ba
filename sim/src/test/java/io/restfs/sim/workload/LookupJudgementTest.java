package io.restfs.sim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restfs.dht.id.NodeId;
import io.restfs.sim.Membership;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LookupJudgementTest {
    private static final int K = 20;
    private static final long START = 1_000;

    private final SplittableRandom random = new SplittableRandom(9);
    private final Membership membership = new Membership();
    private final NodeId target = NodeId.random(random);
    /** Everyone online since before the lookup, closest to the target first; slot = index. */
    private final List<NodeId> old = new ArrayList<>();

    LookupJudgementTest() {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(NodeId.random(random));
        }
        ids.sort(Comparator.comparing(id -> id, target::compareDistance));
        for (int slot = 0; slot < ids.size(); slot++) {
            membership.add(slot, ids.get(slot), 0);
            old.add(ids.get(slot));
        }
    }

    /** A node that joined while the lookup ran, placed between the true closest of rank 2 and 3. */
    private NodeId newcomer() {
        NodeId id;
        do {
            id = NodeId.random(random);
        } while (!(target.compareDistance(id, old.get(2)) > 0 && target.compareDistance(id, old.get(3)) < 0));
        membership.add(500, id, START + 300);
        return id;
    }

    private LookupWorkload.Finer judge(List<NodeId> got) {
        // The querier is a far node (slot 199), so the truth is ranks 0-19.
        return LookupWorkload.judge(membership, K, 199, target, START, got);
    }

    @Test
    void theExactAnswerPassesEveryJudgement() {
        assertEquals(new LookupWorkload.Finer(true, true), judge(old.subList(0, K)));
    }

    @Test
    void aNodeThatJoinedDuringTheLookupMayStandInForTheFarthestTrueOne() {
        List<NodeId> got = new ArrayList<>(old.subList(0, K - 1));
        got.add(3, newcomer());
        assertEquals(new LookupWorkload.Finer(true, true), judge(got), "strictly a miss, but only by the newcomer");
    }

    @Test
    void aMissedNodeWithNoStandInIsAMissWhateverJoined() {
        newcomer();
        List<NodeId> got = new ArrayList<>(old.subList(0, K + 1));
        got.remove(5);
        got.remove(K - 1);
        // Ranks 0-19 but 5, and rank 20 in its place: one true node missed, not displaced by any newcomer.
        assertEquals(new LookupWorkload.Finer(true, false), judge(got));
    }

    @Test
    void twoMissedNodesAreMoreThanAllButOne() {
        List<NodeId> got = new ArrayList<>(old.subList(0, K + 2));
        got.remove(7);
        got.remove(3);
        assertEquals(new LookupWorkload.Finer(false, false), judge(got.subList(0, K)));
    }
}
