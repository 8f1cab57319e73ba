package io.restfs.blockstore.drqueue;

import java.time.Instant;

/**
 * One pending upload in the disaster-recovery queue.
 *
 * @param id         position in the queue, assigned on enqueue, increasing
 * @param type       the producer's tag saying how to read the payload (e.g. "fuse.write")
 * @param payload    opaque description of the upload (bucket, path, offset, length, version...)
 * @param enqueuedAt when it was enqueued
 * @param attempts   how many times it has been handed to a consumer
 * @param dueAt      when it may next be handed out
 */
public record DrEntry(long id, String type, byte[] payload, Instant enqueuedAt, int attempts, Instant dueAt) {

    public DrEntry {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
