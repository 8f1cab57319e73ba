package io.restfs.node.transfer;

import java.util.Optional;

import io.restfs.blockstore.store.CapacityExceededException;
import io.restfs.blockstore.store.ShardConflictException;
import io.restfs.blockstore.store.ShardCorruptException;
import io.restfs.blockstore.store.ShardHashMismatchException;
import io.restfs.blockstore.store.ShardLengthMismatchException;
import io.restfs.blockstore.store.ShardNotFoundException;

/**
 * The stable status codes an ERROR frame carries. The mapping from store exceptions to codes (server
 * side, {@link #of}) and from codes to client exceptions ({@link ShardTransferException#refused}) lives
 * here and there only.
 */
public enum TransferStatus {
    /** No shard under the key. */
    NOT_FOUND(1),
    /** The stored shard failed its hash check on the server and was quarantined there. */
    CORRUPT(2),
    /** The server's store would not fit the shard. */
    CAPACITY(3),
    /** The bytes sent do not hash to the SHA-256 the request promised; nothing was stored. */
    HASH_MISMATCH(4),
    /** The request or stream broke the protocol (bad frame, wrong length, too many streams...). */
    BAD_REQUEST(5),
    /** The handshake failed, or a request came before it completed. */
    UNAUTHORIZED(6),
    /** The server failed (disk error, bug); the message says what. */
    INTERNAL(7),
    /** A different shard (another hash) is already stored under the key. */
    CONFLICT(8),
    /** The server's store executor is saturated; try later or elsewhere. */
    BUSY(9);

    private final int code;

    TransferStatus(int code) {
        this.code = code;
    }

    /** The number on the wire (uint16). */
    public int code() {
        return code;
    }

    /** The status with wire number {@code code}, if there is one. */
    public static Optional<TransferStatus> fromCode(int code) {
        for (TransferStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The status a server reports for a failure of a store operation. */
    static TransferStatus of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StreamAbortedException aborted) {
                return aborted.status();
            }
        }
        if (failure instanceof ShardNotFoundException) {
            return NOT_FOUND;
        } else if (failure instanceof ShardCorruptException) {
            return CORRUPT;
        } else if (failure instanceof CapacityExceededException) {
            return CAPACITY;
        } else if (failure instanceof ShardHashMismatchException) {
            return HASH_MISMATCH;
        } else if (failure instanceof ShardLengthMismatchException || failure instanceof IllegalArgumentException) {
            return BAD_REQUEST;
        } else if (failure instanceof ShardConflictException) {
            return CONFLICT;
        }
        return INTERNAL;
    }

    /** The message sent with {@link #of}'s status: the store's own wording, which names the shard and the numbers. */
    static String messageOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StreamAbortedException aborted) {
                return aborted.getMessage();
            }
        }
        String m = failure.getMessage();
        return m == null ? failure.getClass().getSimpleName() : m;
    }
}
