package io.restfs.blockstore.drqueue;

import java.time.Instant;

/**
 * An entry handed to a consumer. Until {@code expiresAt} no one else gets it; after that it is
 * delivered again unless acknowledged. The lease is identified by the entry id and its attempt number.
 */
public record DrLease(DrEntry entry, Instant expiresAt) {

    public long id() {
        return entry.id();
    }

    /** Which delivery this is (1 for the first). */
    public int attempt() {
        return entry.attempts();
    }
}
