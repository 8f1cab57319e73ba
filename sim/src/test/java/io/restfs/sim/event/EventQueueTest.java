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
    void eventsNearAndFarScheduledWhileRunningRunInTimeThenSchedulingOrder() {
        // Delays from 0 to five times the ring's reach, scheduled from running events and between runUntil calls,
        // so events move from the far heap into the ring while near ones are being added for the same milliseconds.
        EventQueue q = new EventQueue();
        SplittableRandom r = new SplittableRandom(11);
        List<long[]> ran = new ArrayList<>();
        long[] scheduled = {0};
        Runnable[] spawn = new Runnable[1];
        spawn[0] = () -> {
            int children = r.nextInt(3);
            for (int c = 0; c < children && scheduled[0] < 60_000; c++) {
                long delay = switch (r.nextInt(10)) {
                    case 0 -> r.nextLong(5L * EventQueue.RING_MILLIS);
                    case 1, 2 -> r.nextLong(EventQueue.RING_MILLIS - 5, EventQueue.RING_MILLIS + 5);
                    default -> r.nextLong(1_000);
                };
                long[] e = {q.nowMillis() + delay, scheduled[0]++};
                q.after(delay, () -> {
                    assertEquals(e[0], q.nowMillis(), "runs at its due time");
                    ran.add(e);
                    spawn[0].run();
                    spawn[0].run();
                });
            }
        };
        for (int i = 0; i < 200; i++) {
            spawn[0].run();
        }
        long until = 0;
        while (q.size() > 0) {
            until += r.nextLong(3L * EventQueue.RING_MILLIS);
            q.runUntil(until);
            assertTrue(q.peekTime() > until);
            assertEquals(until, q.nowMillis());
            for (int i = 0; i < 5; i++) {
                spawn[0].run();
            }
        }
        assertEquals(scheduled[0], ran.size(), "every event ran once");
        for (int i = 1; i < ran.size(); i++) {
            long[] a = ran.get(i - 1);
            long[] b = ran.get(i);
            assertTrue(a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]),
                    "event " + i + " (due " + b[0] + ", #" + b[1] + ") after (due " + a[0] + ", #" + a[1] + ")");
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
