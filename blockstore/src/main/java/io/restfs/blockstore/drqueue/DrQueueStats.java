package io.restfs.blockstore.drqueue;

import java.time.Duration;

/**
 * A snapshot of the queue.
 *
 * @param depth           entries not yet acknowledged
 * @param ready           of those, how many a consumer could take now
 * @param leased          of those, how many are held by a consumer whose lease has not expired
 * @param oldestAge       age of the oldest entry (zero when empty)
 * @param maxAttempts     most deliveries of any entry still queued
 * @param retriedEntries  entries delivered more than once
 */
public record DrQueueStats(long depth, long ready, long leased, Duration oldestAge, int maxAttempts,
                           long retriedEntries) {
}
