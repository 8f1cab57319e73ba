package io.restfs.node.transfer;

import java.net.InetSocketAddress;
import java.util.Optional;

import io.restfs.blockstore.store.ShardKey;

/**
 * Why a shard transfer failed. One subtype per kind of failure a caller handles differently: the
 * server refused with a status ({@link NotFound}, {@link Corrupt}, {@link Capacity}...), the peer could
 * not be authenticated ({@link Unauthorized}), the request ran out of time ({@link Timeout}), or the
 * connection could not be made or was lost ({@link ConnectionFailed}, the only kind the client retries).
 */
public abstract sealed class ShardTransferException extends RuntimeException {

    private final InetSocketAddress peer;
    private final ShardKey key;

    ShardTransferException(InetSocketAddress peer, ShardKey key, String message) {
        super(message);
        this.peer = peer;
        this.key = key;
    }

    ShardTransferException(InetSocketAddress peer, ShardKey key, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
        this.key = key;
    }

    /** The peer the request went to. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** The shard concerned, if the failure concerns one (a handshake failure does not). */
    public Optional<ShardKey> key() {
        return Optional.ofNullable(key);
    }

    /** The status the peer sent, for refusals; empty for failures seen locally (timeouts, lost connections). */
    public abstract Optional<TransferStatus> status();

    /**
     * The exception for an ERROR frame: the single place a wire status becomes a client exception.
     * Refusals from the peer are worded "peer X refused ...: <the peer's message>".
     */
    static ShardTransferException refused(InetSocketAddress peer, ShardKey key, TransferStatus status, String message) {
        String m = "peer " + peer + " refused" + (key == null ? "" : " shard " + key) + " (" + status + "): " + message;
        return switch (status) {
            case NOT_FOUND -> new NotFound(peer, key, m);
            case CORRUPT -> new Corrupt(peer, key, m);
            case CAPACITY -> new Capacity(peer, key, m);
            case HASH_MISMATCH -> new HashMismatch(peer, key, m);
            case BAD_REQUEST -> new BadRequest(peer, key, m);
            case UNAUTHORIZED -> new Unauthorized(peer, key, m, true);
            case INTERNAL -> new Internal(peer, key, m);
            case CONFLICT -> new Conflict(peer, key, m);
            case BUSY -> new Busy(peer, key, m);
        };
    }

    /** A failure the peer reported with a status: catch this for "the peer said no", whatever the reason. */
    public abstract static sealed class Refused extends ShardTransferException {
        private final TransferStatus status;

        Refused(InetSocketAddress peer, ShardKey key, String message, TransferStatus status) {
            super(peer, key, message);
            this.status = status;
        }

        @Override
        public Optional<TransferStatus> status() {
            return Optional.of(status);
        }
    }

    /** The peer holds no shard under the key. */
    public static final class NotFound extends Refused {
        NotFound(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.NOT_FOUND);
        }
    }

    /**
     * The peer's copy failed its hash check and was quarantined there, or the bytes received did not
     * hash to what the peer announced: fetch the shard elsewhere or rebuild it.
     */
    public static final class Corrupt extends Refused {
        Corrupt(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.CORRUPT);
        }
    }

    /** The peer's store has no room for the shard: place it on another node. */
    public static final class Capacity extends Refused {
        Capacity(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.CAPACITY);
        }
    }

    /** The bytes sent do not have the promised SHA-256; the peer stored nothing. */
    public static final class HashMismatch extends Refused {
        HashMismatch(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.HASH_MISMATCH);
        }
    }

    /** The peer found the request malformed (or the source stream was shorter than its declared length). */
    public static final class BadRequest extends Refused {
        BadRequest(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.BAD_REQUEST);
        }
    }

    /** A different shard is already stored under the key on the peer. */
    public static final class Conflict extends Refused {
        Conflict(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.CONFLICT);
        }
    }

    /** The peer failed internally (a disk error, say). */
    public static final class Internal extends Refused {
        Internal(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.INTERNAL);
        }
    }

    /** The peer is saturated; another node, or a later try, may do. */
    public static final class Busy extends Refused {
        Busy(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message, TransferStatus.BUSY);
        }
    }

    /**
     * The handshake failed: the peer refused our credentials ({@link #byPeer()} true), or the peer
     * could not prove its node key or the cluster key, or is not the node we pinned (false).
     */
    public static final class Unauthorized extends ShardTransferException {
        private final boolean byPeer;

        Unauthorized(InetSocketAddress peer, ShardKey key, String message, boolean byPeer) {
            super(peer, key, message);
            this.byPeer = byPeer;
        }

        public boolean byPeer() {
            return byPeer;
        }

        @Override
        public Optional<TransferStatus> status() {
            return byPeer ? Optional.of(TransferStatus.UNAUTHORIZED) : Optional.empty();
        }
    }

    /** No answer, or no progress on a stream, within the request timeout. */
    public static final class Timeout extends ShardTransferException {
        Timeout(InetSocketAddress peer, ShardKey key, String message) {
            super(peer, key, message);
        }

        @Override
        public Optional<TransferStatus> status() {
            return Optional.empty();
        }
    }

    /** The connection could not be made, or closed before the answer came, on every attempt. */
    public static final class ConnectionFailed extends ShardTransferException {
        ConnectionFailed(InetSocketAddress peer, ShardKey key, String message, Throwable cause) {
            super(peer, key, message, cause);
        }

        @Override
        public Optional<TransferStatus> status() {
            return Optional.empty();
        }
    }
}
