package io.restfs.dht.rpc;

import io.restfs.dht.env.Cancellable;
import io.restfs.dht.env.Environment;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcMessage;
import io.restfs.dht.krpc.KrpcQuery;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.transport.MessageTransport;
import io.restfs.dht.transport.Transport;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * KRPC calls over a transport: picks 2-byte transaction ids unique among pending calls, times each call out after
 * the peer's adaptive timeout (RFC 6298 style, per address), retries with back-off, matches answers by
 * transaction id and source address, and counts everything. Incoming queries go to the listener. Runs on the
 * node's logic thread only.
 *
 * <p>Over a {@link MessageTransport} (a simulator's network) the engine hands over message records with their
 * encoded size instead of datagrams; everything else, timeouts and counting included, is the same.
 */
public final class RpcEngine {
    /** Transaction ids are 2 bytes (BEP 5's suggestion), so at most 65536 can be pending; stay well below. */
    public static final int MAX_PENDING = 16_384;
    /** Peers whose round-trip times are remembered by default; the least recently used is forgotten first. */
    public static final int MAX_RTT_ENTRIES = 10_000;

    /** What the node does with traffic the engine does not own. */
    public interface Listener {
        /** Whether to process a query (or answer a malformed one) from {@code from}: the rate-limit hook. */
        boolean admitQuery(InetSocketAddress from);

        void onQuery(KrpcQuery query, InetSocketAddress from);

        /** A pending call to {@code from} was answered by node {@code responder}. */
        void onResponded(NodeId responder, InetSocketAddress from);

        /** A call to {@code to} (expected to be node {@code expected}, null when unknown) got no answer at all. */
        void onUnanswered(NodeId expected, InetSocketAddress to);
    }

    private final Environment env;
    private final KrpcCodec codec = new KrpcCodec();
    private final Transport transport;
    /** The transport when it carries message records (a simulator's), else null: datagrams are encoded. */
    private final MessageTransport messages;
    private final RpcTimeouts timeouts;
    private final Listener listener;
    private final boolean readOnly;
    private final PendingTable<Pending> pending = new PendingTable<>();
    /** Round trips of the peers talked to lately, at most the configured number. */
    private final RttTable rtts;
    /**
     * Round trips to all peers together, smoothed as for one peer (RFC 6298's srtt + 4 rttvar over every sample): the
     * timeout of a lookup query to a peer never measured, once {@link #ANY_PEER_MIN_SAMPLES} samples are in, capped at the configured
     * initial timeout. Under churn a lookup meets departed nodes it never talked to (peers still name them), and the
     * result waits for each one's hard failure: initial + 2 x initial with one retry, 6 s at the default 2 s, which
     * made the median lookup of a simulated 1,000-node network with sessions of median 1 hour take 6.7 s. With the
     * estimate of everyone it is about 3 x 300 ms at a 50 ms median one-way latency (2 x 300 ms while peers are seen
     * leaving: see {@link #callInLookup}). A live peer slower than the estimate still answers within the retry, and
     * its late answer to the first send still completes the call.
     */
    private final RttEstimator anyPeer = new RttEstimator();
    private long anyPeerSamples;
    /** Samples before the estimate of everyone replaces the initial timeout: one fast first answer must not set it. */
    static final int ANY_PEER_MIN_SAMPLES = 8;
    /**
     * Queries sent per method: a few methods (BEP 5, BEP 44, restfs_info), each counted on every call, so a short
     * array searched by reference first rather than a sorted map keyed by string.
     */
    private String[] methodNames = new String[8];
    private long[] methodCounts = new long[8];
    private int methodKinds;
    private long queriesSent;
    private long retries;
    private long responses;
    private long errors;
    private long timeoutCount;
    private long queriesIn;
    private long malformedIn;
    private long unmatchedIn;
    private boolean closed;

    /** One outstanding call; it is also its own timeout task. */
    private final class Pending implements Runnable {
        final int tid;
        final InetSocketAddress to;
        final NodeId expected;
        final String method;
        /** The encoded query, re-sent as is on each attempt; null over a message transport. */
        final byte[] packet;
        /** The query and its encoded size, for a message transport. */
        final KrpcQuery query;
        final int size;
        final int attempts;
        /**
         * A lookup query: a peer never measured gets the timeout everyone's round trips suggest (see anyPeer), and
         * each retry waits as long as the first send; other calls' retries wait twice as long each time (Karn).
         */
        final boolean lookup;
        final RpcCallback callback;
        int attempt;
        long sentAt;
        Cancellable timer;

        Pending(int tid, InetSocketAddress to, NodeId expected, String method, byte[] packet, KrpcQuery query,
                int size, int attempts, boolean lookup, RpcCallback callback) {
            this.tid = tid;
            this.to = to;
            this.expected = expected;
            this.method = method;
            this.packet = packet;
            this.query = query;
            this.size = size;
            this.lookup = lookup;
            this.attempts = attempts;
            this.callback = callback;
        }

        @Override
        public void run() {
            attemptTimedOut(this);
        }
    }

    public RpcEngine(Environment env, Transport transport, RpcTimeouts timeouts, Listener listener) {
        this(env, transport, timeouts, listener, false);
    }

    /**
     * An engine whose every outgoing query carries BEP 43's {@code "ro": 1} when {@code readOnly}. Whether incoming
     * queries are served is the listener's decision ({@link Listener#admitQuery}).
     */
    public RpcEngine(Environment env, Transport transport, RpcTimeouts timeouts, Listener listener,
                     boolean readOnly) {
        this(env, transport, timeouts, listener, readOnly, MAX_RTT_ENTRIES, env.random().nextLong());
    }

    /**
     * As above, remembering the round-trip times of at most {@code maxRttPeers} peers (least recently used out), in
     * a table whose index hashes addresses with {@code rttIndexKey}, a secret of the node's (peers choose their
     * addresses; see {@link io.restfs.dht.util.LruSlots}).
     */
    public RpcEngine(Environment env, Transport transport, RpcTimeouts timeouts, Listener listener,
                     boolean readOnly, int maxRttPeers, long rttIndexKey) {
        if (maxRttPeers < 1) {
            throw new IllegalArgumentException("maxRttPeers must be positive, got " + maxRttPeers);
        }
        this.rtts = new RttTable(maxRttPeers, rttIndexKey);
        this.env = env;
        this.transport = transport;
        this.messages = transport instanceof MessageTransport m ? m : null;
        this.timeouts = timeouts;
        this.listener = listener;
        this.readOnly = readOnly;
    }

    /** Starts receiving from the transport. */
    public void start() {
        if (messages != null) {
            messages.startMessages(this::onMessage);
        } else {
            transport.start(this::onPacket);
        }
    }

    public RpcTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Sends the query built by {@code query} (given the transaction id) to {@code to}, up to {@code attempts} times.
     * {@code expected} is the node id we believe is there, or null. With more than one attempt, the callback's soft
     * timeout fires when the first attempt times out.
     */
    public void call(InetSocketAddress to, NodeId expected, Function<TransactionId, KrpcQuery> query, int attempts,
                     RpcCallback callback) {
        call(to, expected, query, attempts, false, callback);
    }

    /**
     * As {@link #call(InetSocketAddress, NodeId, Function, int, RpcCallback)}, for a query of an iterative lookup,
     * which copes with a slow peer (it only leaves it out of one answer): a peer never measured gets the timeout that
     * everyone's round trips suggest (see {@link #anyPeer}) rather than the configured initial one. Other calls keep
     * the initial timeout for strangers, since what they conclude from silence lasts (a first contact silent on
     * restfs_info is taken for a Mainline node, a table member silent twice is bad).
     *
     * <p>Its retries do not back off: each send waits one timeout, where other calls wait twice as long at each retry
     * (Karn). A lookup's first timeout already frees the query's slot, and the retries only decide whether the peer
     * is alive, which the lookup's result waits for, so a departed candidate holds the result for {@code attempts}
     * timeouts instead of 1 + 2 + 4 ... Against lost packets a lookup sends more often rather than waiting longer
     * (see {@code DhtConfig.lookupAttempts}): an answer that is late by more than a timeout is rare, a lost one is not.
     */
    public void callInLookup(InetSocketAddress to, NodeId expected, Function<TransactionId, KrpcQuery> query,
                             int attempts, RpcCallback callback) {
        call(to, expected, query, attempts, true, callback);
    }

    private void call(InetSocketAddress to, NodeId expected, Function<TransactionId, KrpcQuery> query, int attempts,
                      boolean lookup, RpcCallback callback) {
        if (closed) {
            callback.onTimeout();
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            // Too many calls in flight: treat as lost rather than queueing without bound.
            timeoutCount++;
            callback.onTimeout();
            return;
        }
        int tid;
        do {
            tid = env.random().nextInt(1 << 16);
        } while (pending.containsKey(tid));
        KrpcQuery q = query.apply(TransactionId.ofShort(tid));
        if (readOnly && !q.readOnly()) {
            q = q.withReadOnly(true);
        }
        Pending p = messages != null
                ? new Pending(tid, to, expected, q.method(), null, q, codec.encodedSize(q), Math.max(1, attempts), lookup,
                        callback)
                : new Pending(tid, to, expected, q.method(), codec.encode(q), null, 0, Math.max(1, attempts), lookup,
                        callback);
        pending.put(tid, p);
        countSent(q.method());
        send(p);
    }

    /** A call with the configured number of attempts, as a future completed on the logic thread. */
    public CompletableFuture<KrpcResponse> call(InetSocketAddress to, NodeId expected,
                                                Function<TransactionId, KrpcQuery> query) {
        CompletableFuture<KrpcResponse> f = new CompletableFuture<>();
        String[] method = new String[1];
        call(to, expected, tid -> {
            KrpcQuery q = query.apply(tid);
            method[0] = q.method();
            return q;
        }, timeouts.attempts(), new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                f.complete(response);
            }

            @Override
            public void onError(KrpcError error) {
                f.completeExceptionally(new RpcException(to, method[0], error.code(), error.message()));
            }

            @Override
            public void onTimeout() {
                f.completeExceptionally(new RpcException(to, method[0], RpcException.TIMEOUT, ""));
            }
        });
        return f;
    }

    /** Sends a response or error to a querier. */
    public void reply(InetSocketAddress to, KrpcMessage message) {
        if (closed) {
            return;
        }
        if (messages != null) {
            messages.send(to, message, codec.encodedSize(message));
        } else {
            transport.send(to, codec.encode(message));
        }
    }

    /** The current timeout for one attempt to {@code peer}: from its round trips, or the initial one. */
    public long timeoutFor(InetSocketAddress peer) {
        return timeoutFor(peer, false);
    }

    /**
     * The current timeout for one attempt of a lookup query ({@code lookup}) or another call to {@code peer}: from
     * its own round trips; for a peer never measured, the initial timeout, or in a lookup what everyone's round trips
     * suggest (see {@link #anyPeer}), never above the initial one.
     */
    public long timeoutFor(InetSocketAddress peer, boolean lookup) {
        long known = rtts.timeoutMillis(peer, timeouts.minMillis(), timeouts.maxMillis());
        if (known >= 0) {
            return known;
        }
        return !lookup || anyPeerSamples < ANY_PEER_MIN_SAMPLES ? timeouts.initialMillis()
                : anyPeer.timeoutMillis(timeouts.initialMillis(), timeouts.minMillis(), timeouts.initialMillis());
    }

    /** Peers whose round-trip time is remembered now. */
    public int rttPeersTracked() {
        return rtts.size();
    }

    public int pendingCalls() {
        return pending.size();
    }

    public RpcStats stats() {
        return new RpcStats(queriesSent, retries, responses, errors, timeoutCount, queriesIn, malformedIn,
                unmatchedIn, Map.copyOf(sentByMethod()));
    }

    private void countSent(String method) {
        for (int i = 0; i < methodKinds; i++) {
            if (methodNames[i] == method || methodNames[i].equals(method)) {
                methodCounts[i]++;
                return;
            }
        }
        if (methodKinds == methodNames.length) {
            methodNames = Arrays.copyOf(methodNames, methodKinds * 2);
            methodCounts = Arrays.copyOf(methodCounts, methodKinds * 2);
        }
        methodNames[methodKinds] = method;
        methodCounts[methodKinds] = 1;
        methodKinds++;
    }

    private TreeMap<String, Long> sentByMethod() {
        TreeMap<String, Long> out = new TreeMap<>();
        for (int i = 0; i < methodKinds; i++) {
            out.put(methodNames[i], methodCounts[i]);
        }
        return out;
    }

    /** Fails every pending call with a timeout and stops sending. */
    public void close() {
        closed = true;
        for (Pending p : pending.values().stream().sorted((a, b) -> Integer.compare(a.tid, b.tid)).toList()) {
            if (p.timer != null) {
                p.timer.cancel();
            }
            pending.remove(p.tid);
            p.callback.onTimeout();
        }
    }

    private void send(Pending p) {
        long first = timeoutFor(p.to, p.lookup);
        long timeout = Math.min(timeouts.maxMillis(), p.lookup ? first : first << p.attempt);
        p.sentAt = env.clock().nowMillis();
        queriesSent++;
        if (messages != null) {
            messages.send(p.to, p.query, p.size);
        } else {
            transport.send(p.to, p.packet);
        }
        p.timer = env.scheduler().schedule(timeout, p);
    }

    private void attemptTimedOut(Pending p) {
        if (pending.get(p.tid) != p) {
            return;
        }
        p.attempt++;
        if (p.attempt < p.attempts) {
            if (p.attempt == 1) {
                p.callback.onSoftTimeout();
                if (pending.get(p.tid) != p) {
                    return;
                }
            }
            retries++;
            send(p);
            return;
        }
        pending.remove(p.tid);
        timeoutCount++;
        // The caller hears first, so what the node does about the silence (a second-chance ping of a table member)
        // is not taken for a duplicate of the call that just ended when that call was itself a ping.
        p.callback.onTimeout();
        listener.onUnanswered(p.expected, p.to);
    }

    private void onPacket(InetSocketAddress from, byte[] packet) {
        if (closed) {
            return;
        }
        KrpcDecodeResult result = codec.decode(packet);
        if (result instanceof KrpcDecodeResult.Malformed m) {
            malformedIn++;
            if (m.reply().isPresent() && listener.admitQuery(from)) {
                transport.send(from, codec.encode(m.reply().get()));
            }
            return;
        }
        dispatch(from, ((KrpcDecodeResult.Decoded) result).message());
    }

    private void onMessage(InetSocketAddress from, KrpcMessage message, int encodedBytes) {
        if (closed) {
            return;
        }
        if (encodedBytes > codec.maxPacketBytes()) {
            // What the datagram decoder does with an oversized packet: refused unread, so nothing to answer.
            malformedIn++;
            return;
        }
        dispatch(from, message);
    }

    private void dispatch(InetSocketAddress from, KrpcMessage message) {
        if (message instanceof KrpcQuery q) {
            if (listener.admitQuery(from)) {
                queriesIn++;
                listener.onQuery(q, from);
            }
            return;
        }
        Pending p = match(message.transactionId(), from);
        if (p == null) {
            unmatchedIn++;
            return;
        }
        pending.remove(p.tid);
        p.timer.cancel();
        long rtt = env.clock().nowMillis() - p.sentAt;
        if (message instanceof KrpcResponse r) {
            responses++;
            // Karn's rule: a round trip after a re-send is ambiguous, so it is not sampled.
            if (p.attempt == 0) {
                rtts.sample(from, rtt);
                anyPeer.sample(rtt);
                anyPeerSamples++;
            }
            listener.onResponded(r.responder(), from);
            p.callback.onResponse(r, rtt);
        } else if (message instanceof KrpcError e) {
            errors++;
            p.callback.onError(e);
        }
    }

    private Pending match(TransactionId tid, InetSocketAddress from) {
        int t = tid.shortValue();
        if (t < 0) {
            return null;
        }
        Pending p = pending.get(t);
        // An answer must come from the address we asked; anything else is late, stray or spoofed.
        return p != null && p.to.equals(from) ? p : null;
    }
}
