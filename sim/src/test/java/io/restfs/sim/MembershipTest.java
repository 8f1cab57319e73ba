package io.restfs.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restfs.dht.id.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MembershipTest {
    @Test
    void closestMatchesABruteForceScanUnderJoinsAndDepartures() {
        SplittableRandom r = new SplittableRandom(5);
        Membership m = new Membership();
        List<Integer> live = new ArrayList<>();
        NodeId[] ids = new NodeId[6000];
        int next = 0;
        for (; next < 3000; next++) {
            ids[next] = NodeId.random(r);
            m.add(next, ids[next], next);
            live.add(next);
        }
        for (int round = 0; round < 300; round++) {
            // churn a little
            for (int c = 0; c < 5; c++) {
                int victim = live.remove(r.nextInt(live.size()));
                m.remove(victim);
                ids[next] = NodeId.random(r);
                m.add(next, ids[next], 3000 + round);
                live.add(next);
                next++;
            }
            NodeId target = NodeId.random(r);
            long joinedBy = r.nextBoolean() ? Long.MAX_VALUE : 3000 + r.nextInt(300);
            int[] got = m.closest(target, 20, joinedBy);
            List<Integer> eligible = new ArrayList<>();
            for (int s : live) {
                if (m.joinedAt(s) <= joinedBy) {
                    eligible.add(s);
                }
            }
            eligible.sort((a, b) -> target.compareDistance(ids[a], ids[b]));
            int[] want = eligible.subList(0, Math.min(20, eligible.size())).stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, got, "round " + round);
        }
        assertEquals(3000, m.size());
    }
}
