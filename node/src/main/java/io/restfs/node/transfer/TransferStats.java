package io.restfs.node.transfer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one transfer client or server since it started, as a snapshot.
 *
 * @param connectionsOpened   connections accepted (server) or established (client)
 * @param handshakesCompleted connections that authenticated both ways
 * @param authFailures        peers refused in the handshake (bad signature, wrong cluster key, wrong
 *                            pinned id, a request before the handshake, a handshake timeout)
 * @param badFrames           frames that could not be decoded or broke the protocol
 * @param frameAuthFailures   frames after the handshake whose tag did not verify (altered, replayed,
 *                            reordered, injected or after a dropped one); each closed its connection
 * @param requests            requests received (server) or started (client, each attempt)
 * @param refusals            requests answered with an ERROR frame (server) or failed (client)
 * @param retries             attempts repeated after a connection failure (client)
 * @param timeouts            requests that ran out of time (client), connections closed idle (server)
 * @param bytesSent           shard bytes sent in DATA frames
 * @param bytesReceived       shard bytes received in DATA frames
 */
public record TransferStats(long connectionsOpened, long handshakesCompleted, long authFailures, long badFrames,
                            long frameAuthFailures, long requests, long refusals, long retries, long timeouts, long bytesSent,
                            long bytesReceived) {

    /** The live counters behind a snapshot; plain atomics until the node exports metrics. */
    static final class Counters {
        final AtomicLong connectionsOpened = new AtomicLong();
        final AtomicLong handshakesCompleted = new AtomicLong();
        final AtomicLong authFailures = new AtomicLong();
        final AtomicLong badFrames = new AtomicLong();
        final AtomicLong frameAuthFailures = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong refusals = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong bytesSent = new AtomicLong();
        final AtomicLong bytesReceived = new AtomicLong();

        TransferStats snapshot() {
            return new TransferStats(connectionsOpened.get(), handshakesCompleted.get(), authFailures.get(),
                    badFrames.get(), frameAuthFailures.get(), requests.get(), refusals.get(), retries.get(), timeouts.get(),
                    bytesSent.get(), bytesReceived.get());
        }
    }
}
