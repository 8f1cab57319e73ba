package io.restfs.node.transfer;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.crypto.Ed25519;

/**
 * The server side of one connection: the handshake, then requests handed to the store executor. All
 * state is confined to the channel's event loop; store threads come back to it to answer.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

    /** Refused PUTs whose trailing DATA is still dropped quietly; beyond this the oldest are forgotten. */
    private static final int MAX_DRAINING = 256;

    private enum State { AWAIT_HELLO, AWAIT_AUTH, READY, CLOSED }

    /** What the server shares with each of its connections. */
    record Shared(ShardStore store, ClusterIdentity identity, TransferServerConfig config,
                  Executor storeExecutor, TransferStats.Counters counters, SecureRandom random) {
    }

    private final Shared shared;
    /** Shared with this channel's decoder and encoder; started here once the client has proved itself. */
    private final SessionMac session;
    private State state = State.AWAIT_HELLO;
    private byte[] clientKey;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private final Map<Integer, Object> inFlight = new HashMap<>();
    private final LinkedHashSet<Integer> draining = new LinkedHashSet<>();
    private String peerName = "?";

    ServerConnection(Shared shared, SessionMac session) {
        this.shared = shared;
        this.session = session;
    }

    /** A PUT being received. */
    private static final class InboundPut {
        final Frame.Put put;
        final IncomingShardStream pipe;
        long received;
        boolean ended;

        InboundPut(Frame.Put put, IncomingShardStream pipe) {
            this.put = put;
            this.pipe = pipe;
        }
    }

    /** A GET being sent, from the bytes the store returned, as credit and writability allow. */
    private static final class OutboundShard {
        final int requestId;
        final byte[] data;
        final Sha256 sha256;
        int offset;
        long credit = FrameCodec.STREAM_WINDOW;

        OutboundShard(int requestId, byte[] data, Sha256 sha256) {
            this.requestId = requestId;
            this.data = data;
            this.sha256 = sha256;
        }
    }

    /** A HAS, DELETE, or a GET still in the store. */
    private static final Object PENDING = new Object();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        peerName = String.valueOf(ctx.channel().remoteAddress());
        shared.counters().connectionsOpened.incrementAndGet();
        long timeout = shared.config().handshakeTimeout().toNanos();
        ctx.executor().schedule(() -> {
            if (state == State.AWAIT_HELLO || state == State.AWAIT_AUTH) {
                refuse(ctx, "no handshake within " + shared.config().handshakeTimeout().toMillis() + " ms");
            }
        }, timeout, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame instanceof Frame.Unauthenticated u) {
            onUnauthenticated(ctx, u);
        } else if (frame instanceof Frame.Malformed m) {
            onMalformed(ctx, m);
        } else if (state != State.READY) {
            onHandshake(ctx, frame);
        } else {
            onRequest(ctx, frame);
        }
    }

    /**
     * A frame failed its tag: someone on the path altered, replayed, reordered, injected or dropped
     * frames. Nothing of it is acted on; the connection closes (in-flight PUTs abort, so nothing half
     * sent is stored), and the client, told why in a tagged ERROR if it still hears us, retries on a
     * fresh connection.
     */
    private void onUnauthenticated(ChannelHandlerContext ctx, Frame.Unauthenticated u) {
        state = State.CLOSED;
        shared.counters().frameAuthFailures.incrementAndGet();
        log.warn("transfer: closing the connection from {}: {} (altered, replayed, reordered, injected or "
                + "after a dropped one); it is not acted on", peerName, u.reason());
        ctx.writeAndFlush(new Frame.Error(0, TransferStatus.UNAUTHORIZED, "frame " + u.sequence()
                        + " failed authentication; connection closed"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void onMalformed(ChannelHandlerContext ctx, Frame.Malformed m) {
        shared.counters().badFrames.incrementAndGet();
        if (state != State.READY) {
            refuse(ctx, "malformed frame during handshake: " + m.reason());
            return;
        }
        log.warn("transfer: bad frame from {}: {}", peerName, m.reason());
        if (m.fatal()) {
            state = State.CLOSED;
            ctx.writeAndFlush(new Frame.Error(0, TransferStatus.BAD_REQUEST, m.reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (inFlight.get(m.requestId()) instanceof InboundPut p) {
            p.ended = true;
            p.pipe.abort(TransferStatus.BAD_REQUEST, m.reason());
        } else {
            refuseRequest(ctx, m.requestId(), TransferStatus.BAD_REQUEST, m.reason());
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Frame frame) {
        if (state == State.AWAIT_HELLO && frame instanceof Frame.Hello hello) {
            if (hello.protocolVersion() != Handshake.PROTOCOL_VERSION) {
                refuse(ctx, "protocol version " + hello.protocolVersion() + ", this node speaks " + Handshake.PROTOCOL_VERSION);
                return;
            }
            clientKey = hello.publicKey();
            clientNonce = hello.nonce();
            serverNonce = new byte[FrameCodec.NONCE_BYTES];
            shared.random().nextBytes(serverNonce);
            state = State.AWAIT_AUTH;
            ctx.writeAndFlush(new Frame.Hello(Handshake.PROTOCOL_VERSION, shared.identity().nodeKey().publicKey(), serverNonce));
        } else if (state == State.AWAIT_AUTH && frame instanceof Frame.Auth auth) {
            byte[] serverKey = shared.identity().nodeKey().publicKey();
            byte[] clientTranscript = Handshake.transcript(Handshake.Role.CLIENT, clientKey, serverKey, clientNonce, serverNonce);
            var failure = Handshake.check(auth, clientKey, shared.identity().clusterKey(), clientTranscript);
            if (failure.isPresent()) {
                refuse(ctx, failure.get());
                return;
            }
            byte[] serverTranscript = Handshake.transcript(Handshake.Role.SERVER, clientKey, serverKey, clientNonce, serverNonce);
            state = State.READY;
            peerName = ctx.channel().remoteAddress() + " (node " + Ed25519.nodeIdOf(clientKey) + ")";
            shared.counters().handshakesCompleted.incrementAndGet();
            Handshake.SessionKeys keys = Handshake.sessionKeys(shared.identity().clusterKey(), clientKey, serverKey,
                    clientNonce, serverNonce);
            // The decoder reads the next frame only after this returns, and the client sends it only after
            // our AUTH; our AUTH itself goes out untagged (the encoder runs within this write), the rest tagged.
            session.startReceiving(keys.clientToServer());
            ctx.writeAndFlush(Handshake.prove(shared.identity(), serverTranscript));
            session.startSending(keys.serverToClient());
            log.debug("transfer: authenticated {}", peerName);
        } else {
            String what = frame.getClass().getSimpleName().toUpperCase();
            ReferenceCountUtil.release(frame);
            refuse(ctx, (frame.requestId() != 0 ? "request " : "") + what + " before the handshake completed");
        }
    }

    /** Refuses the peer in the handshake: counted, logged with the reason, answered vaguely, closed. */
    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        shared.counters().authFailures.incrementAndGet();
        String who = clientKey == null ? peerName : peerName + " (claims node " + Ed25519.nodeIdOf(clientKey) + ")";
        log.warn("transfer: refused {}: {}", who, reason);
        // The peer learns only that it failed; the log says why.
        ctx.writeAndFlush(new Frame.Error(0, TransferStatus.UNAUTHORIZED, "authentication failed"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void onRequest(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Data d) {
            onData(ctx, d);
        } else if (frame instanceof Frame.End e) {
            onEnd(ctx, e);
        } else if (frame instanceof Frame.Credit c) {
            if (inFlight.get(c.requestId()) instanceof OutboundShard o) {
                o.credit += c.bytes();
                pump(ctx, o);
            }
            // Credit for a finished stream is the ordinary race with its END; nothing to do.
        } else if (frame instanceof Frame.Abort a) {
            Object entry = inFlight.get(a.requestId());
            if (entry instanceof InboundPut p) {
                p.ended = true;
                p.pipe.abort(TransferStatus.BAD_REQUEST, "sender aborted: " + a.reason());
            } else if (entry instanceof OutboundShard) {
                // The client gave up on a GET (its sink failed, or it timed out): stop sending it.
                inFlight.remove(a.requestId());
            }
            draining.remove(a.requestId());
        } else if (frame instanceof Frame.Put p) {
            if (admit(ctx, p.requestId(), true)) {
                startPut(ctx, p);
            }
        } else if (frame instanceof Frame.Get g) {
            if (admit(ctx, g.requestId(), false)) {
                // The store reads a shard whole (it checks the hash before handing it out), so a GET
                // holds one shard in memory here; only the sending is paced.
                submit(ctx, g.requestId(), g.key(), () -> {
                    byte[] data = shared.store().get(g.key());
                    // The store has just checked the bytes against the hash it recorded: no second hash.
                    Sha256 hash = shared.store().meta(g.key()).filter(m -> m.size() == data.length)
                            .map(m -> m.sha256()).orElseGet(() -> Sha256.of(data));
                    return new OutboundShard(g.requestId(), data, hash);
                });
            }
        } else if (frame instanceof Frame.Has h) {
            if (admit(ctx, h.requestId(), false)) {
                submit(ctx, h.requestId(), h.key(), () -> new Frame.Ok(h.requestId(), shared.store().has(h.key())));
            }
        } else if (frame instanceof Frame.Delete d) {
            if (admit(ctx, d.requestId(), false)) {
                submit(ctx, d.requestId(), d.key(), () -> new Frame.Ok(d.requestId(), shared.store().delete(d.key())));
            }
        } else {
            // HELLO or AUTH again, or a response frame (OK, SHARD, ERROR) that only servers send.
            shared.counters().badFrames.incrementAndGet();
            String what = frame.getClass().getSimpleName().toUpperCase();
            log.warn("transfer: unexpected {} frame from {}", what, peerName);
            refuseRequest(ctx, frame.requestId(), TransferStatus.BAD_REQUEST, "unexpected " + what + " frame from a client");
        }
    }

    /** Whether a new request may start; if not, it is answered with an error here. */
    private boolean admit(ChannelHandlerContext ctx, int requestId, boolean streams) {
        String refusal = null;
        if (inFlight.containsKey(requestId)) {
            refusal = "request id " + requestId + " is already in flight";
        } else if (inFlight.size() >= shared.config().maxStreamsPerConnection()) {
            refusal = "too many requests in flight on this connection (limit "
                    + shared.config().maxStreamsPerConnection() + ")";
        }
        shared.counters().requests.incrementAndGet();
        if (refusal == null) {
            return true;
        }
        shared.counters().badFrames.incrementAndGet();
        if (streams && !inFlight.containsKey(requestId)) {
            drain(requestId);
        }
        refuseRequest(ctx, requestId, TransferStatus.BAD_REQUEST, refusal);
        return false;
    }

    private void startPut(ChannelHandlerContext ctx, Frame.Put put) {
        int id = put.requestId();
        IncomingShardStream pipe = new IncomingShardStream(FrameCodec.STREAM_WINDOW, shared.config().idleTimeout().toNanos(),
                credit -> ctx.writeAndFlush(new Frame.Credit(id, credit)));
        InboundPut inbound = new InboundPut(put, pipe);
        inFlight.put(id, inbound);
        submit(ctx, id, put.spec().key(), () -> {
            try (pipe) {
                shared.store().put(put.spec(), pipe, put.length());
            }
            return new Frame.Ok(id, true);
        });
    }

    private void onData(ChannelHandlerContext ctx, Frame.Data d) {
        int n = d.chunk().readableBytes();
        Object entry = inFlight.get(d.requestId());
        if (entry instanceof InboundPut p && !p.ended) {
            shared.counters().bytesReceived.addAndGet(n);
            p.received += n;
            if (p.received > p.put.length()) {
                d.release();
                p.ended = true;
                p.pipe.abort(TransferStatus.BAD_REQUEST, "more DATA than the declared " + p.put.length() + " bytes");
            } else if (!p.pipe.offer(d.chunk())) {
                p.ended = true;
                p.pipe.abort(TransferStatus.BAD_REQUEST, "DATA beyond the credit window of " + FrameCodec.STREAM_WINDOW + " bytes");
            }
            return;
        }
        d.release();
        if (!(entry instanceof InboundPut) && !draining.contains(d.requestId())) {
            shared.counters().badFrames.incrementAndGet();
            refuseRequest(ctx, d.requestId(), TransferStatus.BAD_REQUEST, "DATA for request " + d.requestId()
                    + ", which has no open PUT stream");
        }
    }

    private void onEnd(ChannelHandlerContext ctx, Frame.End e) {
        Object entry = inFlight.get(e.requestId());
        if (entry instanceof InboundPut p && !p.ended) {
            p.ended = true;
            Sha256 promised = p.put.spec().sha256();
            if (!e.sha256().equals(promised)) {
                p.pipe.abort(TransferStatus.HASH_MISMATCH, "shard " + p.put.spec().key() + " rejected: PUT promised SHA-256 "
                        + promised + ", the data sent hashes to " + e.sha256() + "; nothing stored");
            } else if (p.received != p.put.length()) {
                p.pipe.abort(TransferStatus.BAD_REQUEST, "END after " + p.received + " of " + p.put.length() + " bytes");
            } else {
                p.pipe.end();
            }
            return;
        }
        if (!draining.remove(e.requestId()) && !(entry instanceof InboundPut)) {
            shared.counters().badFrames.incrementAndGet();
            refuseRequest(ctx, e.requestId(), TransferStatus.BAD_REQUEST, "END for request " + e.requestId()
                    + ", which has no open PUT stream");
        }
    }

    @FunctionalInterface
    private interface StoreWork {
        Object run() throws IOException;
    }

    /** Runs {@code work} on a store thread and answers with its result back on the event loop. */
    private void submit(ChannelHandlerContext ctx, int requestId, ShardKey key, StoreWork work) {
        if (!inFlight.containsKey(requestId)) {
            inFlight.put(requestId, PENDING);
        }
        try {
            shared.storeExecutor().execute(() -> {
                Object outcome;
                try {
                    outcome = work.run();
                } catch (Throwable t) {
                    outcome = t;
                }
                Object result = outcome;
                ctx.executor().execute(() -> complete(ctx, requestId, key, result));
            });
        } catch (RejectedExecutionException e) {
            complete(ctx, requestId, key, new StreamAbortedException(TransferStatus.BUSY,
                    "store queue full (" + shared.config().storeQueue() + " waiting); try later or another node"));
        }
    }

    private void complete(ChannelHandlerContext ctx, int requestId, ShardKey key, Object outcome) {
        Object entry = inFlight.remove(requestId);
        if (entry instanceof InboundPut p) {
            if (!p.ended) {
                // Refused before the sender finished (capacity, say): drop the rest of its stream quietly.
                p.pipe.abort(TransferStatus.INTERNAL, "request finished");
                drain(requestId);
            }
        }
        if (!ctx.channel().isActive()) {
            return;
        }
        if (outcome instanceof Frame f) {
            ctx.writeAndFlush(f);
        } else if (outcome instanceof OutboundShard o) {
            inFlight.put(requestId, o);
            ctx.write(new Frame.ShardFollows(requestId, o.data.length, o.sha256));
            pump(ctx, o);
        } else if (outcome instanceof Throwable t) {
            TransferStatus status = TransferStatus.of(t);
            String message = TransferStatus.messageOf(t);
            if (status == TransferStatus.INTERNAL) {
                log.warn("transfer: request {} for shard {} from {} failed: {}", requestId, key, peerName, t.toString());
            } else {
                log.debug("transfer: request {} for shard {} from {}: {} {}", requestId, key, peerName, status, message);
            }
            refuseRequest(ctx, requestId, status, message);
        }
    }

    /** Sends what credit and the socket allow of an outgoing shard, then END once all of it is out. */
    private void pump(ChannelHandlerContext ctx, OutboundShard o) {
        while (o.offset < o.data.length && o.credit > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(Math.min(FrameCodec.CHUNK_BYTES, o.data.length - o.offset), o.credit);
            ctx.write(new Frame.Data(o.requestId, Unpooled.wrappedBuffer(o.data, o.offset, n)));
            o.offset += n;
            o.credit -= n;
            shared.counters().bytesSent.addAndGet(n);
        }
        if (o.offset == o.data.length) {
            inFlight.remove(o.requestId);
            ctx.write(new Frame.End(o.requestId, o.sha256));
        }
        // Even with nothing new written here, the SHARD header before the first pump may be waiting.
        ctx.flush();
    }

    private void refuseRequest(ChannelHandlerContext ctx, int requestId, TransferStatus status, String message) {
        shared.counters().refusals.incrementAndGet();
        ctx.writeAndFlush(new Frame.Error(requestId, status, message));
    }

    private void drain(int requestId) {
        draining.add(requestId);
        if (draining.size() > MAX_DRAINING) {
            Iterator<Integer> oldest = draining.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (Object entry : inFlight.values().toArray()) {
                if (entry instanceof OutboundShard o) {
                    pump(ctx, o);
                }
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            shared.counters().timeouts.incrementAndGet();
            log.info("transfer: closing connection from {} idle for {} s", peerName,
                    shared.config().idleTimeout().toSeconds());
            state = State.CLOSED;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        for (Object entry : inFlight.values()) {
            if (entry instanceof InboundPut p) {
                p.pipe.abort(TransferStatus.INTERNAL, "connection from " + peerName + " closed mid-stream");
            }
        }
        inFlight.clear();
        draining.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a broken pipe is a peer going away, not a server fault: one line, no stack.
        log.info("transfer: connection from {} failed: {}", peerName, cause.toString());
        state = State.CLOSED;
        ctx.close();
    }
}
