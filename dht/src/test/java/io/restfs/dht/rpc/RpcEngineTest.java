package io.restfs.dht.rpc;

import io.restfs.dht.env.Environment;
import io.restfs.dht.env.VirtualTime;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcQuery;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.PingQuery;
import io.restfs.dht.transport.MemoryNetwork;
import io.restfs.dht.transport.MemoryTransport;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpcEngineTest {
    private static final NodeId A = NodeId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final NodeId B = NodeId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    private final VirtualTime time = new VirtualTime();
    private final MemoryNetwork network = new MemoryNetwork(time, new SplittableRandom(1), 20, 30, 0);
    private final List<NodeId> unanswered = new ArrayList<>();

    /** An engine that answers every ping with its own id. */
    private RpcEngine engine(NodeId self, MemoryTransport transport) {
        RpcEngine[] holder = new RpcEngine[1];
        holder[0] = new RpcEngine(new Environment(time, time, new SplittableRandom(self.byteAt(0))), transport,
                new RpcTimeouts(1_000, 100, 4_000, 3), new RpcEngine.Listener() {
            @Override
            public boolean admitQuery(InetSocketAddress from) {
                return true;
            }

            @Override
            public void onQuery(KrpcQuery query, InetSocketAddress from) {
                holder[0].reply(from, query instanceof PingQuery ? KrpcResponse.of(query.transactionId(), self)
                        : new KrpcError(query.transactionId(), KrpcError.METHOD_UNKNOWN, "no"));
            }

            @Override
            public void onResponded(NodeId responder, InetSocketAddress from) {
            }

            @Override
            public void onUnanswered(NodeId expected, InetSocketAddress to) {
                unanswered.add(expected);
            }
        });
        holder[0].start();
        return holder[0];
    }

    @Test
    void timeoutAdaptsToTheMeasuredRoundTrip() {
        MemoryTransport ta = network.attach(network.nextAddress());
        MemoryTransport tb = network.attach(network.nextAddress());
        RpcEngine a = engine(A, ta);
        engine(B, tb);
        assertEquals(1_000, a.timeoutFor(tb.localAddress()), "unmeasured peer: the initial timeout");
        for (int i = 0; i < 10; i++) {
            CompletableFuture<KrpcResponse> f = a.call(tb.localAddress(), B, t -> new PingQuery(t, A));
            time.runUntil(f::isDone, time.nowMillis() + 5_000);
            assertEquals(B, f.join().responder());
        }
        long rto = a.timeoutFor(tb.localAddress());
        assertTrue(rto >= 100 && rto < 200, "round trips of 40-60 ms give a timeout near the floor: " + rto);
        assertEquals(10, a.stats().responses());
    }

    @Test
    void aLookupQueryToAPeerNeverMeasuredGetsTheTimeoutThatEveryonesRoundTripsSuggest() {
        MemoryTransport ta = network.attach(network.nextAddress());
        RpcEngine a = engine(A, ta);
        List<MemoryTransport> peers = new ArrayList<>();
        for (int i = 0; i < RpcEngine.ANY_PEER_MIN_SAMPLES; i++) {
            MemoryTransport t = network.attach(network.nextAddress());
            engine(NodeId.random(new SplittableRandom(i)), t);
            peers.add(t);
        }
        InetSocketAddress stranger = network.nextAddress();
        for (int i = 0; i < peers.size(); i++) {
            assertEquals(1_000, a.timeoutFor(stranger, true), "too few round trips seen yet: the initial timeout");
            CompletableFuture<KrpcResponse> f = a.call(peers.get(i).localAddress(), null, t -> new PingQuery(t, A));
            time.runUntil(f::isDone, time.nowMillis() + 5_000);
            f.join();
        }
        // One ping to each of 8 peers, 40-60 ms round trips: a lookup query to a peer never asked gets what they
        // suggest, not 1 s; other calls keep the initial timeout (what they conclude from silence lasts).
        long rto = a.timeoutFor(stranger, true);
        assertTrue(rto >= 100 && rto < 300, "timeout for a stranger after 8 round trips of 40-60 ms: " + rto);
        assertEquals(1_000, a.timeoutFor(stranger, false));

        // A dead stranger now costs a lookup three short sends, each waiting one timeout, rather than 1 + 2 + 4 s.
        long took = lookupGivesUpAfter(a, stranger);
        assertTrue(took >= 3 * rto && took < 4 * rto, "three timeouts of " + rto + " ms: " + took + " ms");
    }

    /** Virtual millis until a three-send lookup query to {@code silent} times out. */
    private long lookupGivesUpAfter(RpcEngine engine, InetSocketAddress silent) {
        long start = time.nowMillis();
        boolean[] timedOut = {false};
        engine.callInLookup(silent, B, t -> new PingQuery(t, A), 3, new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
            }

            @Override
            public void onError(KrpcError error) {
            }

            @Override
            public void onTimeout() {
                timedOut[0] = true;
            }
        });
        time.runUntil(() -> timedOut[0], time.nowMillis() + 10_000);
        assertTrue(timedOut[0]);
        return time.nowMillis() - start;
    }

    @Test
    void silentPeerIsRetriedWithBackOffThenReportedUnanswered() {
        MemoryTransport ta = network.attach(network.nextAddress());
        InetSocketAddress nobody = network.nextAddress();
        RpcEngine a = engine(A, ta);
        List<String> events = new ArrayList<>();
        a.call(nobody, B, t -> new PingQuery(t, A), 3, new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                events.add("response");
            }

            @Override
            public void onError(KrpcError error) {
                events.add("error");
            }

            @Override
            public void onTimeout() {
                events.add("timeout@" + time.nowMillis());
            }

            @Override
            public void onSoftTimeout() {
                events.add("soft@" + time.nowMillis());
            }
        });
        time.advance(10_000);
        // 1 s, then 2 s, then 4 s (Karn back-off, capped at 4 s).
        assertEquals(List.of("soft@1000", "timeout@7000"), events);
        assertEquals(3, a.stats().queriesSent());
        assertEquals(2, a.stats().retries());
        assertEquals(List.of(B), unanswered);
        assertEquals(0, a.pendingCalls());
    }

    @Test
    void errorAnswerFailsTheCallWithItsCode() {
        MemoryTransport ta = network.attach(network.nextAddress());
        MemoryTransport tb = network.attach(network.nextAddress());
        RpcEngine a = engine(A, ta);
        engine(B, tb);
        CompletableFuture<KrpcResponse> f = a.call(tb.localAddress(), B,
                t -> new io.restfs.dht.krpc.FindNodeQuery(t, A, B));
        time.runUntil(f::isDone, 5_000);
        Throwable cause = f.handle((r, e) -> e).join();
        RpcException ex = assertInstanceOf(RpcException.class, cause);
        assertEquals(KrpcError.METHOD_UNKNOWN, ex.code());
        assertEquals("find_node", ex.method());
    }

    @Test
    void answerFromAnotherAddressIsNotMatched() {
        MemoryTransport ta = network.attach(network.nextAddress());
        MemoryTransport spoofer = network.attach(network.nextAddress());
        InetSocketAddress silent = network.nextAddress();
        RpcEngine a = engine(A, ta);
        KrpcCodec codec = new KrpcCodec();
        // The spoofer sees the query (as an on-path attacker would) and answers from its own address.
        network.attach(silent).start((from, packet) -> {
            KrpcDecodeResult r = codec.decode(packet);
            KrpcQuery q = (KrpcQuery) ((KrpcDecodeResult.Decoded) r).message();
            spoofer.send(from, codec.encode(KrpcResponse.of(q.transactionId(), B)));
        });
        CompletableFuture<KrpcResponse> f = a.call(silent, B, t -> new PingQuery(t, A));
        time.advance(500);
        assertTrue(!f.isDone(), "the spoofed answer did not complete the call");
        assertEquals(1, a.stats().unmatchedIn());
    }
}
