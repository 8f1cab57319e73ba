package io.restfs.sim.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanesTest {
    /**
     * A small web of lanes that post to each other and defer to the shared side; the log of what ran when, in the
     * shared order (global events and deferred actions) must be the same on one thread and on three.
     */
    @Test
    void theOrderOfSharedWorkDependsOnTheLanesNotOnTheThreads() {
        assertEquals(trace(1), trace(3));
        assertEquals(4 * 401 + 1, trace(3).size(), "every hop of every chain, and the global event");
    }

    private static List<String> trace(int threads) {
        List<String> log = new ArrayList<>();
        try (Lanes lanes = new Lanes(4, threads)) {
            for (int lane = 0; lane < 4; lane++) {
                hop(lanes, log, lane, 0, lane);
            }
            lanes.global().at(25, () -> log.add("global@" + lanes.nowMillis()));
            lanes.runUntil(2_000);
            assertEquals(2_000, lanes.nowMillis());
            assertEquals(2_000, lanes.queue(3).nowMillis(), "every lane's clock follows the run's");
        }
        return log;
    }

    /** An event in {@code lane} that defers a log line and posts the next hop to another lane, 0-3 ms later. */
    private static void hop(Lanes lanes, List<String> log, int lane, int n, int chain) {
        lanes.queue(lane).at(lanes.nowMillis(), () -> {
            long now = lanes.queue(lane).nowMillis();
            lanes.defer(lane, () -> log.add("chain " + chain + " hop " + n + " in lane " + lane + " at " + now));
            if (n < 400) {
                int next = (lane + n + chain) % 4;
                long due = now + (n * 7 + chain) % 4; // zero delays included: delivered in a second round
                lanes.post(lane, next, due, () -> hop(lanes, log, next, n + 1, chain));
            }
        });
    }

    @Test
    void aCrossLaneEventWithNoDelayRunsInTheSameMillisecond() {
        try (Lanes lanes = new Lanes(2, 2)) {
            long[] ranAt = {-1};
            lanes.queue(0).at(10, () -> lanes.post(0, 1, 10, () -> ranAt[0] = lanes.queue(1).nowMillis()));
            lanes.runUntil(10);
            assertEquals(10, ranAt[0]);
        }
    }

    @Test
    void runUntilStopsAfterTheMillisecondThatMetTheCondition() {
        try (Lanes lanes = new Lanes(2, 1)) {
            boolean[] done = {false};
            lanes.queue(1).at(7, () -> lanes.defer(1, () -> done[0] = true));
            lanes.queue(0).at(9, () -> { });
            lanes.runUntil(1_000, () -> done[0]);
            assertEquals(7, lanes.nowMillis());
            assertEquals(1, lanes.pending());
        }
    }

    @Test
    void aFailingEventStopsTheRunWithItsCause() {
        try (Lanes lanes = new Lanes(2, 2)) {
            lanes.queue(1).at(3, () -> {
                throw new IllegalArgumentException("boom");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> lanes.runUntil(10));
            assertEquals("boom", e.getCause().getMessage());
        }
    }

    @Test
    void badLaneAndThreadCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Lanes(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Lanes(2, 0));
    }
}
