package io.restfs.node.transfer;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a {@link ShardTransferServer} listens and what it allows.
 *
 * @param bind                     address and port to listen on (port 0: any free port)
 * @param ioThreads                Netty event loop threads; they only decode and hand over
 * @param storeThreads             threads doing store I/O (which fsyncs), off the event loop
 * @param storeQueue               store tasks that may wait for a thread; beyond it requests get BUSY
 * @param maxStreamsPerConnection  requests one connection may have in flight at once
 * @param idleTimeout              a connection with no traffic this long is closed, and a PUT stream
 *                                 with no data this long is given up
 * @param handshakeTimeout         a connection must authenticate within this
 */
public record TransferServerConfig(InetSocketAddress bind, int ioThreads, int storeThreads, int storeQueue,
                                   int maxStreamsPerConnection, Duration idleTimeout, Duration handshakeTimeout) {

    /** Event loops: two are plenty when they only frame bytes; the store threads do the work. */
    public static final int DEFAULT_IO_THREADS = 2;
    /**
     * Store threads: each put ends in two fsyncs, so parallelism is what hides disk latency; 8 keeps a
     * disk's queue busy without letting a burst of peers open hundreds of files at once.
     */
    public static final int DEFAULT_STORE_THREADS = 8;
    /** Queued store tasks: a few per thread absorbs bursts; beyond that, BUSY tells peers to go elsewhere. */
    public static final int DEFAULT_STORE_QUEUE = 64;
    /**
     * In-flight requests per connection: enough for a gateway writing a 10+5 segment's shards over one
     * connection; each PUT may buffer one credit window, so this also bounds per-connection memory.
     */
    public static final int DEFAULT_MAX_STREAMS = 16;
    /** Idle connections are closed after a minute: clients reconnect cheaply, idle sockets cost file handles. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Two round trips and two signatures take milliseconds; 10 s tolerates a loaded peer, not a silent one. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TransferServerConfig {
        if (bind == null) {
            throw new IllegalArgumentException("bind address is required");
        }
        if (ioThreads < 1 || storeThreads < 1 || storeQueue < 0 || maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("thread counts and stream limit must be >= 1, queue >= 0");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()
                || handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The defaults, listening on {@code bind}. */
    public static TransferServerConfig defaults(InetSocketAddress bind) {
        return new TransferServerConfig(bind, DEFAULT_IO_THREADS, DEFAULT_STORE_THREADS, DEFAULT_STORE_QUEUE,
                DEFAULT_MAX_STREAMS, DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public TransferServerConfig withStoreThreads(int threads, int queue) {
        return new TransferServerConfig(bind, ioThreads, threads, queue, maxStreamsPerConnection, idleTimeout, handshakeTimeout);
    }

    public TransferServerConfig withMaxStreamsPerConnection(int streams) {
        return new TransferServerConfig(bind, ioThreads, storeThreads, storeQueue, streams, idleTimeout, handshakeTimeout);
    }

    public TransferServerConfig withTimeouts(Duration idle, Duration handshake) {
        return new TransferServerConfig(bind, ioThreads, storeThreads, storeQueue, maxStreamsPerConnection, idle, handshake);
    }
}
