package io.restfs.sim.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    @Test
    void runsEventsInTimeOrderAndSameTimeEventsInSchedulingOrder() {
        EventQueue q = new EventQueue();
        SplittableRandom r = new SplittableRandom(7);
        List<long[]> expected = new ArrayList<>();
        List<long[]> ran = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long at = r.nextLong(500);
            long[] e = {at, i};
            expected.add(e);
            q.at(at, () -> ran.add(e));
        }
        while (q.runNext()) {
            assertTrue(q.nowMillis() >= 0);
        }
        expected.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        assertEquals(expected.size(), ran.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i)[1], ran.get(i)[1], "event " + i);
        }
    }

    @Test
    void eventsScheduledWhileRunningKeepTheClockMonotonic() {
        EventQueue q = new EventQueue();
        List<Long> times = new ArrayList<>();
        q.at(10, () -> {
            times.add(q.nowMillis());
            q.after(0, () -> times.add(q.nowMillis()));
            q.after(5, () -> times.add(q.nowMillis()));
            q.at(3, () -> times.add(q.nowMillis())); // in the past: runs now, not back in time
        });
        q.runUntil(100);
        assertEquals(List.of(10L, 10L, 10L, 15L), times);
        assertEquals(100, q.nowMillis());
    }

    @Test
    void stoppedNodeRunsNoneOfItsPendingTimersAndCancelledTimersNeverRun() {
        EventQueue q = new EventQueue();
        NodeScheduler a = new NodeScheduler(q);
        NodeScheduler b = new NodeScheduler(q);
        List<String> ran = new ArrayList<>();
        a.schedule(10, () -> ran.add("a10"));
        b.schedule(10, () -> ran.add("b10"));
        b.schedule(20, () -> ran.add("b20")).cancel();
        q.at(5, a::stop);
        q.runUntil(50);
        assertEquals(List.of("b10"), ran);
        assertTrue(a.stopped());
        assertFalse(b.stopped());
    }
}
