package io.restfs.node.transfer;

import java.time.Duration;

/**
 * How a {@link ShardTransferClient} connects, waits and retries.
 *
 * @param connectTimeout          TCP connect plus handshake
 * @param requestTimeout          longest wait for an answer, or between two steps of a stream (a big
 *                                shard may take longer than this in all, as long as it keeps moving)
 * @param maxAttempts             tries per request when the connection fails (1: no retry)
 * @param retryBackoff            wait before the second try; doubled for each further one, with jitter
 * @param maxConnectionsPerPeer   connections kept to one peer
 * @param maxStreamsPerConnection requests in flight on one connection (at most the server's limit)
 * @param ioThreads               Netty event loop threads
 * @param streamThreads           threads that read PUT sources and write GET sinks (blocking streams)
 */
public record TransferClientConfig(Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                                   Duration retryBackoff, int maxConnectionsPerPeer, int maxStreamsPerConnection,
                                   int ioThreads, int streamThreads) {

    /** A peer on the same cluster network answers a connect in milliseconds; 5 s rides out a loaded one. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A store operation is a few fsyncs; 30 s without progress means the peer is stuck, not slow. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Three tries ride out a restart or a dropped connection without hiding a dead peer for long. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** 200 ms, then 400 ms: about the time a restarting node needs to listen again. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    /** Two connections per peer: one stalled stream does not hold up everything to that peer. */
    public static final int DEFAULT_MAX_CONNECTIONS = 2;
    /** Matches the server's default limit, {@link TransferServerConfig#DEFAULT_MAX_STREAMS}. */
    public static final int DEFAULT_MAX_STREAMS = TransferServerConfig.DEFAULT_MAX_STREAMS;
    public static final int DEFAULT_IO_THREADS = 2;
    /** Streams block on the caller's InputStream or OutputStream; each in-flight stream may hold one. */
    public static final int DEFAULT_STREAM_THREADS = 16;

    public TransferClientConfig {
        if (connectTimeout == null || requestTimeout == null || retryBackoff == null
                || connectTimeout.isNegative() || connectTimeout.isZero()
                || requestTimeout.isNegative() || requestTimeout.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive and backoff >= 0");
        }
        if (maxAttempts < 1 || maxConnectionsPerPeer < 1 || maxStreamsPerConnection < 1 || ioThreads < 1
                || streamThreads < 1) {
            throw new IllegalArgumentException("attempts, connections, streams and threads must be >= 1");
        }
    }

    public static TransferClientConfig defaults() {
        return new TransferClientConfig(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_BACKOFF, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAMS, DEFAULT_IO_THREADS,
                DEFAULT_STREAM_THREADS);
    }

    public TransferClientConfig withTimeouts(Duration connect, Duration request) {
        return new TransferClientConfig(connect, request, maxAttempts, retryBackoff, maxConnectionsPerPeer,
                maxStreamsPerConnection, ioThreads, streamThreads);
    }

    public TransferClientConfig withRetries(int attempts, Duration backoff) {
        return new TransferClientConfig(connectTimeout, requestTimeout, attempts, backoff, maxConnectionsPerPeer,
                maxStreamsPerConnection, ioThreads, streamThreads);
    }

    public TransferClientConfig withPool(int connectionsPerPeer, int streamsPerConnection) {
        return new TransferClientConfig(connectTimeout, requestTimeout, maxAttempts, retryBackoff, connectionsPerPeer,
                streamsPerConnection, ioThreads, streamThreads);
    }
}
