package io.restfs.node.transfer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/**
 * Sends shards to, and fetches them from, other nodes' {@link ShardTransferServer}s.
 *
 * <p>Connections are pooled per peer (a few per peer, many requests multiplexed on each) and
 * authenticated both ways before the first request. Every method returns at once with a future that
 * fails with a {@link ShardTransferException} subtype: refusals carry the server's status; a request
 * that makes no progress for the request timeout fails with {@link ShardTransferException.Timeout};
 * a connection that cannot be made or is lost is retried with exponential backoff and jitter, as
 * long as the request can be repeated (a caller's stream that was already read from cannot), and
 * then fails with {@link ShardTransferException.ConnectionFailed}. Refusals are never retried: a
 * full or corrupt peer will not get better in 200 ms.
 *
 * <p>Streams are paced: a PUT source is read only as fast as the peer credits and the socket drains,
 * and a GET sink is credited back only as fast as it is written, so neither side holds more than a
 * window of a shard in memory (the client's {@code get(peer, key)} to bytes holds the shard it returns).
 */
public final class ShardTransferClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardTransferClient.class);

    /** Backoff jitter: each wait is scaled by a factor in [0.5, 1.5), so retries from many clients spread out. */
    private static final double JITTER = 0.5;

    private final TransferClientConfig config;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor streamExecutor;
    private final Bootstrap bootstrap;
    private final ClientConnection.Shared shared;
    private final TransferStats.Counters counters = new TransferStats.Counters();
    private final RandomGenerator jitter;
    private final Map<TransferPeer, PeerPool> pools = new HashMap<>(); // guarded by itself
    private volatile boolean closed;

    private ShardTransferClient(ClusterIdentity identity, TransferClientConfig config, RandomGenerator jitter) {
        this.config = config;
        this.jitter = jitter;
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("restfs-transfer-client-io", true), NioIoHandler.newFactory());
        this.streamExecutor = new ThreadPoolExecutor(config.streamThreads(), config.streamThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory("restfs-transfer-client-stream", true));
        this.streamExecutor.allowCoreThreadTimeOut(true);
        this.shared = new ClientConnection.Shared(identity, config, streamExecutor, counters, new SecureRandom());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, ShardTransferServer.WATER_MARK);
    }

    /** A client proving {@code identity}; {@code jitter} spreads retry backoff (production: a SecureRandom or SplittableRandom). */
    public static ShardTransferClient create(ClusterIdentity identity, TransferClientConfig config, RandomGenerator jitter) {
        if (identity == null || config == null || jitter == null) {
            throw new IllegalArgumentException("identity, config and jitter are required");
        }
        return new ShardTransferClient(identity, config, jitter);
    }

    /** Stores {@code bytes} as shard {@code spec} on {@code peer}; the peer checks them against {@code spec.sha256()}. */
    public CompletableFuture<Void> put(TransferPeer peer, ShardSpec spec, byte[] bytes) {
        if (spec == null || bytes == null) {
            throw new IllegalArgumentException("spec and bytes are required");
        }
        checkLength(bytes.length);
        return execute(peer, spec.key(), () -> new ClientConnection.Upload(spec, new ByteArrayInputStream(bytes), bytes.length, true));
    }

    /**
     * As {@link #put(TransferPeer, ShardSpec, byte[])} for bytes the caller has hashed itself to
     * {@code spec.sha256()} (content-addressed shards): they are not hashed again on the way out. The peer still
     * hashes what it receives before storing it.
     */
    public CompletableFuture<Void> putHashed(TransferPeer peer, ShardSpec spec, byte[] bytes) {
        if (spec == null || bytes == null) {
            throw new IllegalArgumentException("spec and bytes are required");
        }
        checkLength(bytes.length);
        return execute(peer, spec.key(), () -> new ClientConnection.Upload(spec, new ByteArrayInputStream(bytes),
                bytes.length, true, spec.sha256()));
    }

    /**
     * Streams exactly {@code length} bytes from {@code in} to {@code peer} as shard {@code spec}, never
     * holding more than a credit window of it. {@code in} is read on a client thread and not closed. A
     * lost connection is retried only if {@code in} had not been read yet.
     */
    public CompletableFuture<Void> put(TransferPeer peer, ShardSpec spec, InputStream in, long length) {
        if (spec == null || in == null) {
            throw new IllegalArgumentException("spec and stream are required");
        }
        checkLength(length);
        return execute(peer, spec.key(), () -> new ClientConnection.Upload(spec, in, length, false));
    }

    /** Fetches a shard whole; it arrives hash-checked against what the peer's store recorded for it. */
    public CompletableFuture<byte[]> get(TransferPeer peer, ShardKey key) {
        requireKey(key);
        // A fresh buffer per attempt, so a retry never appends to a partial copy.
        return get(peer, key, (Sha256) null);
    }

    /**
     * Fetches a shard whole and fails with {@link ShardTransferException.Corrupt} unless it hashes to
     * {@code expected} (null: to whatever the peer's store recorded). The bytes are hashed once, on arrival.
     */
    public CompletableFuture<byte[]> get(TransferPeer peer, ShardKey key, Sha256 expected) {
        requireKey(key);
        // A fresh buffer per attempt, so a retry never appends to a partial copy.
        List<ShardBuffer> last = new ArrayList<>(1);
        return execute(peer, key, () -> {
            ShardBuffer buffer = new ShardBuffer();
            last.clear();
            last.add(buffer);
            return new ClientConnection.Download(key, buffer, true);
        }).thenApply(sha -> {
            if (expected != null && !expected.equals(sha)) {
                throw new java.util.concurrent.CompletionException(new ShardTransferException.Corrupt(
                        peer.address(), key, "shard " + key + " from " + peer + " hashes to " + sha + ", not the "
                                + expected + " expected"));
            }
            return last.get(0).bytes();
        });
    }

    /**
     * Streams a shard into {@code out} (written on a client thread, not closed) and completes with its
     * verified SHA-256. If the bytes turn out not to match, the future fails with
     * {@link ShardTransferException.Corrupt} and what was written to {@code out} must be discarded.
     */
    public CompletableFuture<Sha256> get(TransferPeer peer, ShardKey key, OutputStream out) {
        requireKey(key);
        if (out == null) {
            throw new IllegalArgumentException("output stream is required");
        }
        return execute(peer, key, () -> new ClientConnection.Download(key, out, false));
    }

    /** Whether {@code peer} stores the shard (by its index; the bytes are checked when read). */
    public CompletableFuture<Boolean> has(TransferPeer peer, ShardKey key) {
        requireKey(key);
        return execute(peer, key, () -> new ClientConnection.Query(key, false));
    }

    /** Deletes the shard on {@code peer}; true if there was one. */
    public CompletableFuture<Boolean> delete(TransferPeer peer, ShardKey key) {
        requireKey(key);
        return execute(peer, key, () -> new ClientConnection.Query(key, true));
    }

    public TransferStats stats() {
        return counters.snapshot();
    }

    private static void requireKey(ShardKey key) {
        if (key == null) {
            throw new IllegalArgumentException("shard key is required");
        }
    }

    private static void checkLength(long length) {
        if (length < 0 || length > ShardStore.MAX_SHARD_BYTES) {
            throw new IllegalArgumentException("shard length must be in [0, " + ShardStore.MAX_SHARD_BYTES + "]: " + length);
        }
    }

    // ---- attempts and retries ----

    private <T> CompletableFuture<T> execute(TransferPeer peer, ShardKey key, Supplier<ClientConnection.Request<T>> request) {
        if (peer == null) {
            throw new IllegalArgumentException("peer is required");
        }
        if (closed) {
            throw new IllegalStateException("transfer client is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(peer, key, request, 1, result);
        return result;
    }

    private <T> void attempt(TransferPeer peer, ShardKey key, Supplier<ClientConnection.Request<T>> newRequest,
                             int attempt, CompletableFuture<T> result) {
        if (closed) {
            result.completeExceptionally(new ShardTransferException.ConnectionFailed(peer.address(), key,
                    "transfer client closed", null));
            return;
        }
        counters.requests.incrementAndGet();
        ClientConnection.Request<T> request = newRequest.get();
        PeerPool pool = pool(peer);
        pool.acquire().whenComplete((connection, acquireFailure) -> {
            if (acquireFailure != null) {
                retryOrFail(peer, key, newRequest, attempt, result, request, acquireFailure);
                return;
            }
            request.future.whenComplete((value, failure) -> {
                pool.release(connection);
                if (failure == null) {
                    result.complete(value);
                } else {
                    retryOrFail(peer, key, newRequest, attempt, result, request, failure);
                }
            });
            connection.send(request);
        });
    }

    private <T> void retryOrFail(TransferPeer peer, ShardKey key, Supplier<ClientConnection.Request<T>> newRequest,
                                 int attempt, CompletableFuture<T> result, ClientConnection.Request<T> request,
                                 Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException) {
            cause = new ShardTransferException.Timeout(peer.address(), key, "no free connection to " + peer
                    + " within " + config.requestTimeout().toMillis() + " ms");
        }
        if (cause instanceof ShardTransferException.ConnectionFailed && attempt < config.maxAttempts()
                && request.replayable() && !closed) {
            long base = config.retryBackoff().toNanos() << Math.min(attempt - 1, 20);
            long delay = (long) (base * (1 - JITTER + 2 * JITTER * jitter.nextDouble()));
            counters.retries.incrementAndGet();
            log.debug("transfer: retrying shard {} to {} in {} ms (attempt {}): {}", key, peer,
                    TimeUnit.NANOSECONDS.toMillis(delay), attempt + 1, cause.getMessage());
            group.schedule(() -> attempt(peer, key, newRequest, attempt + 1, result), delay, TimeUnit.NANOSECONDS);
            return;
        }
        result.completeExceptionally(cause);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private PeerPool pool(TransferPeer peer) {
        synchronized (pools) {
            return pools.computeIfAbsent(peer, PeerPool::new);
        }
    }

    private ClientConnection connect(TransferPeer peer, PeerPool pool) {
        ClientConnection[] holder = new ClientConnection[1];
        SessionMac session = new SessionMac();
        ClientConnection connection = new ClientConnection(shared, peer, session, () -> pool.closed(holder[0]));
        holder[0] = connection;
        ChannelFuture f = bootstrap.clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("decoder", new FrameCodec.Decoder(session))
                                .addLast("encoder", new FrameCodec.Encoder(session))
                                .addLast("connection", connection);
                    }
                })
                .connect(peer.address());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                connection.connectFailed(done.cause());
            }
        });
        return connection;
    }

    /** The connections to one peer, and the requests waiting for room on them. */
    private final class PeerPool {
        private final TransferPeer peer;
        private final List<ClientConnection> connections = new ArrayList<>();
        private final ArrayDeque<CompletableFuture<ClientConnection>> waiters = new ArrayDeque<>();

        PeerPool(TransferPeer peer) {
            this.peer = peer;
        }

        /** A connection with room for one more request, once it is ready. */
        CompletableFuture<ClientConnection> acquire() {
            CompletableFuture<ClientConnection> slot;
            synchronized (this) {
                connections.removeIf(ClientConnection::isClosed);
                ClientConnection best = null;
                for (ClientConnection c : connections) {
                    if (c.inFlight < config.maxStreamsPerConnection() && (best == null || c.inFlight < best.inFlight)) {
                        best = c;
                    }
                }
                if ((best == null || best.inFlight > 0) && connections.size() < config.maxConnectionsPerPeer()) {
                    best = connect(peer, this);
                    connections.add(best);
                }
                if (best != null) {
                    best.inFlight++;
                    return best.ready();
                }
                slot = new CompletableFuture<>();
                waiters.add(slot);
            }
            return slot.orTimeout(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    .thenCompose(ClientConnection::ready);
        }

        synchronized void release(ClientConnection c) {
            c.inFlight--;
            if (!c.isClosed()) {
                while (c.inFlight < config.maxStreamsPerConnection() && !waiters.isEmpty()) {
                    c.inFlight++;
                    if (!waiters.poll().complete(c)) {
                        c.inFlight--; // that waiter already gave up
                    }
                }
            }
        }

        /**
         * A connection closed: forget it, give its waiters new connections if there is room, and drop
         * the pool itself once it is empty, so that peers long gone do not accumulate.
         */
        void closed(ClientConnection c) {
            boolean empty;
            synchronized (this) {
                connections.remove(c);
                while (!waiters.isEmpty() && connections.size() < config.maxConnectionsPerPeer() && !ShardTransferClient.this.closed) {
                    ClientConnection fresh = connect(peer, this);
                    connections.add(fresh);
                    fresh.inFlight++;
                    if (!waiters.poll().complete(fresh)) {
                        fresh.inFlight--;
                    }
                }
                empty = connections.isEmpty() && waiters.isEmpty();
            }
            if (empty) {
                // A request racing with this may still hold the pool and open a connection on it; that
                // connection works, it is only not shared with the next pool made for the peer.
                synchronized (pools) {
                    pools.remove(peer, this);
                }
            }
        }

        void closeAll() {
            List<ClientConnection> all;
            List<CompletableFuture<ClientConnection>> waiting;
            synchronized (this) {
                all = new ArrayList<>(connections);
                waiting = new ArrayList<>(waiters);
                waiters.clear();
            }
            for (CompletableFuture<ClientConnection> w : waiting) {
                w.completeExceptionally(new ShardTransferException.ConnectionFailed(peer.address(), null,
                        "transfer client closed", null));
            }
            for (ClientConnection c : all) {
                c.close();
            }
        }
    }

    /** Closes every connection (requests in flight fail with ConnectionFailed) and stops the client's threads. */
    @Override
    public void close() {
        closed = true;
        List<PeerPool> all;
        synchronized (pools) {
            all = new ArrayList<>(pools.values());
            pools.clear();
        }
        for (PeerPool p : all) {
            p.closeAll();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        streamExecutor.shutdownNow();
    }
}
