package io.restfs.blockstore.drqueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.blockstore.kv.InMemoryKeyValueStore;

class DrQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    private DrQueue open() {
        return DrQueue.open(dir, RETRY, clock, new Random(5));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deliversEntriesInTheOrderTheyWereEnqueued() {
        try (DrQueue q = open()) {
            long a = q.enqueue("upload", utf8("a"));
            clock.advance(Duration.ofMillis(1));
            long b = q.enqueue("upload", utf8("b"));
            long c = q.enqueue("upload", utf8("c"));
            assertTrue(a < b && b < c);
            DrLease first = q.take(LEASE).orElseThrow();
            assertEquals(a, first.id());
            assertArrayEquals(utf8("a"), first.entry().payload());
            assertEquals("upload", first.entry().type());
            assertEquals(1, first.attempt());
            assertEquals(b, q.take(LEASE).orElseThrow().id());
            assertEquals(c, q.take(LEASE).orElseThrow().id());
            assertTrue(q.take(LEASE).isEmpty());
        }
    }

    @Test
    void keepsEntriesAcrossRestartAndForgetsAcknowledgedOnes() {
        long kept;
        try (DrQueue q = open()) {
            long acked = q.enqueue("upload", utf8("done"));
            kept = q.enqueue("upload", utf8("pending"));
            DrLease lease = q.take(LEASE).orElseThrow();
            assertEquals(acked, lease.id());
            assertTrue(q.ack(lease));
        }
        try (DrQueue q = open()) {
            assertEquals(1, q.depth());
            DrLease lease = q.take(LEASE).orElseThrow();
            assertEquals(kept, lease.id());
            assertArrayEquals(utf8("pending"), lease.entry().payload());
            long next = q.enqueue("upload", utf8("new"));
            assertTrue(next > kept, "ids keep increasing after restart");
        }
    }

    @Test
    void redeliversUnacknowledgedEntryAfterLeaseExpires() {
        try (DrQueue q = open()) {
            long id = q.enqueue("upload", utf8("x"));
            DrLease first = q.take(LEASE).orElseThrow();
            clock.advance(LEASE.minusSeconds(1));
            assertTrue(q.take(LEASE).isEmpty(), "leased entry is invisible until its lease runs out");
            clock.advance(Duration.ofSeconds(1));
            DrLease second = q.take(LEASE).orElseThrow();
            assertEquals(id, second.id());
            assertEquals(2, second.attempt());
            assertFalse(q.ack(first), "an expired lease that was handed out again cannot acknowledge");
            assertTrue(q.ack(second));
            assertFalse(q.ack(second), "acknowledging twice does nothing");
            assertEquals(0, q.depth());
        }
    }

    @Test
    void leasesSurviveRestartAndRunOut() {
        try (DrQueue q = open()) {
            q.enqueue("upload", utf8("x"));
            q.take(LEASE).orElseThrow();
        }
        try (DrQueue q = open()) {
            assertTrue(q.take(LEASE).isEmpty());
            clock.advance(LEASE);
            assertEquals(2, q.take(LEASE).orElseThrow().attempt());
        }
    }

    @Test
    void retriesAFailedEntryAfterExponentialBackoff() {
        try (DrQueue q = open()) {
            long id = q.enqueue("upload", utf8("flaky"));
            long nominalMs = 1000;
            for (int attempt = 1; attempt <= 5; attempt++) {
                DrLease lease = q.take(LEASE).orElseThrow();
                assertEquals(attempt, lease.attempt());
                assertTrue(q.retryLater(lease));
                Instant due = q.entries(0, 1).get(0).dueAt();
                long delay = Duration.between(clock.instant(), due).toMillis();
                assertTrue(delay >= nominalMs / 2 && delay <= nominalMs, "attempt " + attempt + ": " + delay);
                clock.advance(Duration.ofMillis(delay - 1));
                assertTrue(q.take(LEASE).isEmpty(), "not due before its backoff");
                clock.advance(Duration.ofMillis(1));
                nominalMs *= 2;
            }
            assertEquals(id, q.take(LEASE).orElseThrow().id());
        }
    }

    @Test
    void aRetriedEntryWaitsBehindEntriesAlreadyDue() {
        try (DrQueue q = open()) {
            long flaky = q.enqueue("upload", utf8("flaky"));
            q.retryLater(q.take(LEASE).orElseThrow());
            long other = q.enqueue("upload", utf8("other"));
            assertEquals(other, q.take(LEASE).orElseThrow().id());
            clock.advance(Duration.ofSeconds(2));
            assertEquals(flaky, q.take(LEASE).orElseThrow().id());
        }
    }

    @Test
    void reportsDepthOldestAgeAndAttempts() {
        try (DrQueue q = open()) {
            DrQueueStats empty = q.stats();
            assertEquals(0, empty.depth());
            assertEquals(Duration.ZERO, empty.oldestAge());
            q.enqueue("upload", utf8("1"));
            DrLease lease = q.take(LEASE).orElseThrow();
            clock.advance(LEASE);
            q.take(LEASE).orElseThrow(); // entry 1 again, second attempt
            clock.advance(Duration.ofSeconds(10));
            q.enqueue("upload", utf8("2"));
            q.enqueue("upload", utf8("3"));
            clock.advance(Duration.ofSeconds(5));
            DrQueueStats s = q.stats();
            assertEquals(3, s.depth());
            assertEquals(Duration.ofSeconds(45), s.oldestAge());
            assertEquals(2, s.maxAttempts());
            assertEquals(1, s.retriedEntries());
            assertEquals(1, s.leased());
            assertEquals(2, s.ready());
            assertEquals(1, lease.attempt());
        }
    }

    @Test
    void refusesOversizedEntries() {
        try (DrQueue q = open()) {
            DrEntryTooLargeException e = assertThrows(DrEntryTooLargeException.class,
                    () -> q.enqueue("upload", new byte[DrQueue.MAX_PAYLOAD_BYTES + 1]));
            assertEquals(DrQueue.MAX_PAYLOAD_BYTES + 1, e.size());
            assertEquals(DrQueue.MAX_PAYLOAD_BYTES, e.limit());
            assertEquals(0, q.depth());
            q.enqueue("upload", new byte[DrQueue.MAX_PAYLOAD_BYTES]);
            assertEquals(1, q.depth());
        }
    }

    @Test
    void rejectsMalformedArguments() {
        try (DrQueue q = open()) {
            assertThrows(IllegalArgumentException.class, () -> q.enqueue("", utf8("x")));
            assertThrows(IllegalArgumentException.class, () -> q.enqueue(null, utf8("x")));
            assertThrows(IllegalArgumentException.class, () -> q.enqueue("t".repeat(65), utf8("x")));
            assertThrows(IllegalArgumentException.class, () -> q.enqueue("upload", null));
            assertThrows(IllegalArgumentException.class, () -> q.take(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> q.take(Duration.ofSeconds(-1)));
            assertThrows(IllegalArgumentException.class, () -> q.ack(null));
            assertThrows(IllegalArgumentException.class, () -> q.entries(0, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> DrQueue.open(dir, RETRY, null, new Random()));
    }

    @Test
    void pagesThroughQueuedEntries() {
        try (DrQueue q = DrQueue.open(new InMemoryKeyValueStore(), RETRY, clock, new Random(1))) {
            for (int i = 0; i < 7; i++) {
                q.enqueue("upload", utf8("e" + i));
            }
            List<DrEntry> page1 = q.entries(0, 4);
            List<DrEntry> page2 = q.entries(page1.get(3).id(), 4);
            assertEquals(4, page1.size());
            assertEquals(3, page2.size());
            assertArrayEquals(utf8("e6"), page2.get(2).payload());
        }
    }
}
