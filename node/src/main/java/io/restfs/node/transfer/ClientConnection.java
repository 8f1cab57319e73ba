package io.restfs.node.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;

/**
 * The client side of one pooled connection to a peer: the handshake, then requests multiplexed by
 * request id. Frames are handled on the channel's event loop; PUT sources are read and GET sinks
 * written on the client's stream threads, paced by credit and by the socket's writability.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private enum State { AWAIT_HELLO, AWAIT_AUTH, READY, CLOSED }

    /** What the client shares with each of its connections. */
    record Shared(ClusterIdentity identity, TransferClientConfig config, Executor streamExecutor,
                  TransferStats.Counters counters, SecureRandom random) {
    }

    private final Shared shared;
    private final TransferPeer peer;
    /** Shared with this channel's decoder and encoder; started here once the server has proved itself. */
    private final SessionMac session;
    private final Runnable onClose;
    private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
    private final Map<Integer, Request<?>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    /** Stream threads wait on this for credit or writability; the event loop notifies it. */
    private final Object gate = new Object();
    private volatile Channel channel;

    // Event loop only.
    private State state = State.AWAIT_HELLO;
    private byte[] clientNonce;
    private byte[] serverKey;
    private byte[] serverNonce;

    /** Requests in flight, counted by the pool; guarded by the pool. */
    int inFlight;

    ClientConnection(Shared shared, TransferPeer peer, SessionMac session, Runnable onClose) {
        this.shared = shared;
        this.peer = peer;
        this.session = session;
        this.onClose = onClose;
    }

    /** Completes with this connection once both sides are authenticated. */
    CompletableFuture<ClientConnection> ready() {
        return ready;
    }

    boolean isClosed() {
        Channel ch = channel;
        return ready.isCompletedExceptionally() || (ch != null && !ch.isOpen());
    }

    InetSocketAddress address() {
        return peer.address();
    }

    /** The connection attempt itself failed (refused, unreachable, connect timeout). */
    void connectFailed(Throwable cause) {
        ready.completeExceptionally(new ShardTransferException.ConnectionFailed(peer.address(), null,
                "cannot connect to " + peer + ": " + cause, cause));
        onClose.run();
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- requests ----

    /** Sends a request on this (ready) connection; its future completes with the answer. */
    <T> void send(Request<T> r) {
        int id = nextId.incrementAndGet();
        if (id <= 0) {
            // After 2^31 requests on one connection: start over rather than reuse 0 (the handshake's id).
            nextId.compareAndSet(id, 0);
            id = nextId.incrementAndGet();
        }
        r.id = id;
        r.connection = this;
        pending.put(id, r);
        r.progress();
        Channel ch = channel;
        armTimeout(r, shared.config().requestTimeout().toNanos());
        ch.writeAndFlush(r.firstFrame()).addListener(f -> {
            if (!f.isSuccess()) {
                fail(r, new ShardTransferException.ConnectionFailed(peer.address(), r.key,
                        "cannot send to " + peer + ": " + f.cause(), f.cause()));
            } else if (r instanceof Upload u) {
                shared.streamExecutor().execute(u::run);
            }
        });
    }

    private void armTimeout(Request<?> r, long delayNanos) {
        channel.eventLoop().schedule(() -> checkTimeout(r), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkTimeout(Request<?> r) {
        if (r.future.isDone() || pending.get(r.id) != r) {
            return;
        }
        long timeout = shared.config().requestTimeout().toNanos();
        long idle = System.nanoTime() - r.lastProgress;
        if (idle < timeout) {
            armTimeout(r, timeout - idle);
            return;
        }
        shared.counters().timeouts.incrementAndGet();
        log.info("transfer: {} request {} for shard {} made no progress in {} ms; closing the connection",
                peer, r.id, r.key, shared.config().requestTimeout().toMillis());
        fail(r, new ShardTransferException.Timeout(peer.address(), r.key, "peer " + peer + " did not answer request for shard "
                + r.key + " within " + shared.config().requestTimeout().toMillis() + " ms"));
        // A peer that stopped answering one request is likely stuck for all; other requests retry elsewhere.
        close();
    }

    private void fail(Request<?> r, Throwable e) {
        pending.remove(r.id, r);
        if (r.future.completeExceptionally(e)) {
            r.failed();
        }
        wakeStreams();
    }

    private void complete(Request<?> r) {
        pending.remove(r.id, r);
        wakeStreams();
    }

    void wakeStreams() {
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private void sendCredit(int requestId, int bytes) {
        channel.writeAndFlush(new Frame.Credit(requestId, bytes));
    }

    private void sendAbort(int requestId, String reason) {
        channel.writeAndFlush(new Frame.Abort(requestId, reason));
    }

    // ---- the channel ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        clientNonce = new byte[FrameCodec.NONCE_BYTES];
        shared.random().nextBytes(clientNonce);
        ctx.writeAndFlush(new Frame.Hello(Handshake.PROTOCOL_VERSION, shared.identity().nodeKey().publicKey(), clientNonce));
        ctx.executor().schedule(() -> {
            if (!ready.isDone()) {
                shared.counters().timeouts.incrementAndGet();
                ready.completeExceptionally(new ShardTransferException.Timeout(peer.address(), null,
                        "peer " + peer + " did not complete the handshake within "
                                + shared.config().connectTimeout().toMillis() + " ms"));
                ctx.close();
            }
        }, shared.config().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame) || state == State.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (frame instanceof Frame.Unauthenticated u) {
            // Someone on the path altered, replayed, reordered, injected or dropped frames: act on nothing
            // more from this connection; its requests fail as a connection failure and retry on a fresh one.
            shared.counters().frameAuthFailures.incrementAndGet();
            log.warn("transfer: closing the connection to {}: {} (altered, replayed, reordered, injected or "
                    + "after a dropped one); it is not acted on", peer, u.reason());
            closeWith("peer " + peer + " sent a frame that failed authentication: " + u.reason());
        } else if (frame instanceof Frame.Malformed m) {
            shared.counters().badFrames.incrementAndGet();
            log.warn("transfer: bad frame from {}: {}", peer, m.reason());
            closeWith("peer " + peer + " sent a bad frame: " + m.reason());
        } else if (state != State.READY) {
            onHandshake(ctx, frame);
        } else {
            onResponse(frame);
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Frame frame) {
        byte[] myKey = shared.identity().nodeKey().publicKey();
        if (frame instanceof Frame.Error e && e.requestId() == 0) {
            state = State.CLOSED;
            shared.counters().authFailures.incrementAndGet();
            log.warn("transfer: peer {} refused our handshake: {} {}", peer, e.status(), e.message());
            ready.completeExceptionally(e.status() == TransferStatus.UNAUTHORIZED
                    ? new ShardTransferException.Unauthorized(peer.address(), null,
                            "peer " + peer + " refused our handshake: " + e.message(), true)
                    : ShardTransferException.refused(peer.address(), null, e.status(), e.message()));
            ctx.close();
        } else if (state == State.AWAIT_HELLO && frame instanceof Frame.Hello hello) {
            if (hello.protocolVersion() != Handshake.PROTOCOL_VERSION) {
                authFailure(ctx, "peer speaks protocol version " + hello.protocolVersion() + ", we speak "
                        + Handshake.PROTOCOL_VERSION);
                return;
            }
            NodeId serverId = Ed25519.nodeIdOf(hello.publicKey());
            if (peer.pinnedNodeId().isPresent() && !peer.pinnedNodeId().get().equals(serverId)) {
                authFailure(ctx, "peer is node " + serverId + ", expected node " + peer.pinnedNodeId().get());
                return;
            }
            serverKey = hello.publicKey();
            serverNonce = hello.nonce();
            state = State.AWAIT_AUTH;
            byte[] transcript = Handshake.transcript(Handshake.Role.CLIENT, myKey, serverKey, clientNonce, serverNonce);
            ctx.writeAndFlush(Handshake.prove(shared.identity(), transcript));
        } else if (state == State.AWAIT_AUTH && frame instanceof Frame.Auth auth) {
            byte[] transcript = Handshake.transcript(Handshake.Role.SERVER, myKey, serverKey, clientNonce, serverNonce);
            var failure = Handshake.check(auth, serverKey, shared.identity().clusterKey(), transcript);
            if (failure.isPresent()) {
                authFailure(ctx, "node " + Ed25519.nodeIdOf(serverKey) + ": " + failure.get());
                return;
            }
            Handshake.SessionKeys keys = Handshake.sessionKeys(shared.identity().clusterKey(), myKey, serverKey,
                    clientNonce, serverNonce);
            // Our HELLO and AUTH went out untagged; the server tags everything after its AUTH, and so do we
            // from the first request on.
            session.startReceiving(keys.serverToClient());
            session.startSending(keys.clientToServer());
            state = State.READY;
            shared.counters().connectionsOpened.incrementAndGet();
            shared.counters().handshakesCompleted.incrementAndGet();
            log.debug("transfer: connected to {} (node {})", peer, Ed25519.nodeIdOf(serverKey));
            ready.complete(this);
        } else {
            ReferenceCountUtil.release(frame);
            authFailure(ctx, "unexpected " + frame.getClass().getSimpleName().toUpperCase() + " frame in the handshake");
        }
    }

    private void authFailure(ChannelHandlerContext ctx, String reason) {
        state = State.CLOSED;
        shared.counters().authFailures.incrementAndGet();
        log.warn("transfer: refused peer {}: {}", peer, reason);
        ready.completeExceptionally(new ShardTransferException.Unauthorized(peer.address(), null,
                "refused peer " + peer + ": " + reason, false));
        ctx.close();
    }

    private void onResponse(Frame frame) {
        if (frame instanceof Frame.Error e && e.requestId() == 0) {
            log.warn("transfer: peer {} closed the connection: {} {}", peer, e.status(), e.message());
            closeWith("peer " + peer + " reported " + e.status() + ": " + e.message());
            return;
        }
        Request<?> r = pending.get(frame.requestId());
        if (r == null) {
            // Late frames for a request that timed out or was aborted.
            ReferenceCountUtil.release(frame);
            return;
        }
        r.progress();
        if (frame instanceof Frame.Error e) {
            shared.counters().refusals.incrementAndGet();
            fail(r, ShardTransferException.refused(peer.address(), r.key, e.status(), e.message()));
        } else if (frame instanceof Frame.Ok ok) {
            r.onOk(ok.flag());
        } else if (frame instanceof Frame.ShardFollows s) {
            r.onShard(s);
        } else if (frame instanceof Frame.Data d) {
            shared.counters().bytesReceived.addAndGet(d.chunk().readableBytes());
            r.onData(d);
        } else if (frame instanceof Frame.End e) {
            r.onEnd(e);
        } else if (frame instanceof Frame.Credit c) {
            r.onCredit(c.bytes());
        } else {
            ReferenceCountUtil.release(frame);
            r.protocolError("unexpected " + frame.getClass().getSimpleName().toUpperCase() + " frame");
        }
    }

    private void closeWith(String reason) {
        state = State.CLOSED;
        failAll(new ShardTransferException.ConnectionFailed(peer.address(), null, reason, null));
        close();
    }

    private void failAll(ShardTransferException e) {
        ready.completeExceptionally(e);
        List<Request<?>> all = new ArrayList<>(pending.values());
        for (Request<?> r : all) {
            fail(r, new ShardTransferException.ConnectionFailed(peer.address(), r.key, e.getMessage(), e));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        wakeStreams();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        failAll(new ShardTransferException.ConnectionFailed(peer.address(), null,
                "connection to " + peer + " closed", null));
        onClose.run();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("transfer: connection to {} failed: {}", peer, cause.toString());
        ctx.close();
    }

    // ---- request kinds ----

    /** One request's life on this connection. */
    abstract static class Request<T> {
        final ShardKey key;
        final CompletableFuture<T> future = new CompletableFuture<>();
        volatile int id;
        volatile ClientConnection connection;
        volatile long lastProgress;

        Request(ShardKey key) {
            this.key = key;
        }

        abstract Frame firstFrame();

        /** Whether a new attempt could do this request again after this one failed. */
        abstract boolean replayable();

        void progress() {
            lastProgress = System.nanoTime();
        }

        void onOk(boolean flag) {
            protocolError("unexpected OK");
        }

        void onShard(Frame.ShardFollows s) {
            protocolError("unexpected SHARD");
        }

        void onData(Frame.Data d) {
            d.release();
            protocolError("unexpected DATA");
        }

        void onEnd(Frame.End e) {
            protocolError("unexpected END");
        }

        void onCredit(int bytes) {
            // Credit for a stream this side is not sending: ignore, as the server does.
        }

        /** Called once when the future fails; releases whatever the request holds. */
        void failed() {
        }

        final void protocolError(String what) {
            ClientConnection c = connection;
            c.fail(this, new ShardTransferException.ConnectionFailed(c.peer.address(), key,
                    "peer " + c.peer + " broke the protocol: " + what + " for request " + id, null));
            c.close();
        }

        final void succeed(T value) {
            connection.complete(this);
            future.complete(value);
        }
    }

    /** HAS or DELETE: one frame out, OK (with its flag) back. */
    static final class Query extends Request<Boolean> {
        private final boolean delete;

        Query(ShardKey key, boolean delete) {
            super(key);
            this.delete = delete;
        }

        @Override
        Frame firstFrame() {
            return delete ? new Frame.Delete(id, key) : new Frame.Has(id, key);
        }

        @Override
        boolean replayable() {
            return true;
        }

        @Override
        void onOk(boolean flag) {
            succeed(flag);
        }
    }

    /** PUT: the source is read in chunks on a stream thread, no faster than credit and the socket allow. */
    static final class Upload extends Request<Void> {
        private final ShardSpec spec;
        private final InputStream source;
        private final long length;
        private final boolean sourceReusable;
        private final AtomicBoolean touched = new AtomicBoolean();
        private long credit = FrameCodec.STREAM_WINDOW; // guarded by the connection's gate

        /** The bytes' SHA-256 when the caller already knows it (it hashed them itself); else hashed while sent. */
        private final Sha256 knownHash;

        Upload(ShardSpec spec, InputStream source, long length, boolean sourceReusable) {
            this(spec, source, length, sourceReusable, null);
        }

        Upload(ShardSpec spec, InputStream source, long length, boolean sourceReusable, Sha256 knownHash) {
            super(spec.key());
            this.spec = spec;
            this.source = source;
            this.length = length;
            this.sourceReusable = sourceReusable;
            this.knownHash = knownHash;
        }

        @Override
        Frame firstFrame() {
            return new Frame.Put(id, spec, length);
        }

        @Override
        boolean replayable() {
            return sourceReusable || !touched.get();
        }

        @Override
        void onCredit(int bytes) {
            synchronized (connection.gate) {
                credit += bytes;
                connection.gate.notifyAll();
            }
        }

        @Override
        void onOk(boolean flag) {
            succeed(null);
        }

        /** Streams the source; runs on a stream thread until END is sent or the request is over. */
        void run() {
            ClientConnection c = connection;
            MessageDigest digest = knownHash == null ? sha256() : null;
            long sent = 0;
            try {
                while (sent < length) {
                    long allowed = awaitSendable(c);
                    if (allowed <= 0) {
                        return; // answered (refused early), timed out, or the connection closed
                    }
                    int want = (int) Math.min(Math.min(FrameCodec.CHUNK_BYTES, length - sent), allowed);
                    // A heap buffer: the stream reads straight into its array, with no temporary copy per chunk.
                    ByteBuf buf = c.channel.alloc().heapBuffer(want);
                    int got = 0;
                    try {
                        touched.set(true);
                        while (got < want) {
                            int r = buf.writeBytes(source, want - got);
                            if (r < 0) {
                                break;
                            }
                            got += r;
                        }
                        if (got < want) {
                            throw new IllegalArgumentException("source of shard " + key + " ended after "
                                    + (sent + got) + " of its declared " + length + " bytes");
                        }
                        if (digest != null) {
                            digest.update(buf.nioBuffer());
                        }
                    } catch (IOException | RuntimeException e) {
                        buf.release();
                        throw e;
                    }
                    synchronized (c.gate) {
                        credit -= got;
                    }
                    sent += got;
                    progress();
                    c.shared.counters().bytesSent.addAndGet(got);
                    c.channel.writeAndFlush(new Frame.Data(id, buf));
                }
                if (!future.isDone()) {
                    c.channel.writeAndFlush(new Frame.End(id, digest == null ? knownHash : new Sha256(digest.digest())));
                }
            } catch (IOException e) {
                c.sendAbort(id, "source failed: " + e);
                c.fail(this, new UncheckedIOException("reading the source of shard " + key + " failed", e));
            } catch (RuntimeException e) {
                c.sendAbort(id, "source failed: " + e.getMessage());
                c.fail(this, e);
            }
        }

        /** Waits until some credit is left and the socket drains; the credit, or 0 if the request is over. */
        private long awaitSendable(ClientConnection c) {
            synchronized (c.gate) {
                while (true) {
                    if (future.isDone() || !c.channel.isActive()) {
                        return 0;
                    }
                    if (credit > 0 && c.channel.isWritable()) {
                        return credit;
                    }
                    try {
                        // Woken by CREDIT, writability changes and completion; the bound is only a safety net.
                        c.gate.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        c.sendAbort(id, "client interrupted");
                        c.fail(this, new IllegalStateException("interrupted while sending shard " + key));
                        return 0;
                    }
                }
            }
        }
    }

    /** GET: chunks are written to the sink on a stream thread, credited back as they are written, and hash-checked. */
    static final class Download extends Request<Sha256> {
        private final OutputStream sink;
        private final boolean sinkReusable;
        private final MessageDigest digest = sha256();
        private final ConcurrentLinkedQueue<ByteBuf> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean wrote = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        // Event loop only.
        private long length = -1;
        private long received;
        // Written on the event loop before ended is set; read by the draining thread after it sees ended.
        private Sha256 announced;
        private Sha256 endHash;
        private volatile boolean ended;

        Download(ShardKey key, OutputStream sink, boolean sinkReusable) {
            super(key);
            this.sink = sink;
            this.sinkReusable = sinkReusable;
        }

        @Override
        Frame firstFrame() {
            return new Frame.Get(id, key);
        }

        @Override
        boolean replayable() {
            return sinkReusable || !wrote.get();
        }

        @Override
        void onShard(Frame.ShardFollows s) {
            if (length >= 0) {
                protocolError("second SHARD header");
                return;
            }
            length = s.length();
            announced = s.sha256();
            if (sink instanceof ShardBuffer b && !b.expect(length)) {
                protocolError("shard of " + length + " bytes announced, over the " + ShardStore.MAX_SHARD_BYTES
                        + " a shard may have");
            }
        }

        @Override
        void onData(Frame.Data d) {
            if (length < 0) {
                d.release();
                protocolError("DATA before the SHARD header");
                return;
            }
            received += d.chunk().readableBytes();
            if (received > length) {
                d.release();
                protocolError("more DATA than the announced " + length + " bytes");
                return;
            }
            queue.add(d.chunk());
            schedule();
        }

        @Override
        void onEnd(Frame.End e) {
            if (length < 0 || received != length) {
                protocolError("END after " + received + " of " + Math.max(length, 0) + " bytes");
                return;
            }
            endHash = e.sha256();
            connection.pending.remove(id, this); // what is left is local: writing the sink
            ended = true;
            schedule();
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                connection.shared.streamExecutor().execute(this::drain);
            }
        }

        private synchronized void drain() {
            ClientConnection c = connection;
            scheduled.set(false);
            for (ByteBuf chunk; (chunk = queue.poll()) != null; ) {
                try {
                    if (future.isDone()) {
                        continue;
                    }
                    int n = chunk.readableBytes();
                    digest.update(chunk.nioBuffer());
                    wrote.set(true);
                    if (sink instanceof ShardBuffer b) {
                        // Straight from the network buffer into the shard's array: one copy.
                        b.take(chunk, n);
                    } else {
                        chunk.readBytes(sink, n);
                    }
                    progress();
                    if (!ended) {
                        c.sendCredit(id, n);
                    }
                } catch (IOException e) {
                    c.sendAbort(id, "client's sink failed");
                    c.fail(this, new UncheckedIOException("writing shard " + key + " to its sink failed", e));
                } finally {
                    chunk.release();
                }
            }
            if (ended && queue.isEmpty() && finished.compareAndSet(false, true) && !future.isDone()) {
                Sha256 actual = new Sha256(digest.digest());
                if (!actual.equals(announced) || !actual.equals(endHash)) {
                    future.completeExceptionally(new ShardTransferException.Corrupt(c.peer.address(), key,
                            "shard " + key + " from " + c.peer + " hashes to " + actual + ", the peer announced "
                                    + announced));
                } else {
                    future.complete(actual);
                }
            }
        }

        @Override
        void failed() {
            for (ByteBuf chunk; (chunk = queue.poll()) != null; ) {
                chunk.release();
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
