package io.restfs.dht.krpc;

import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Measures KRPC decode and encode per message shape, single thread, best of five one-second rounds after a
 * warm-up (the machines are shared; slow rounds measure the neighbours). Not a test: run it with
 * {@code java -cp <test-classes>:<classes>:<deps> io.restfs.dht.krpc.KrpcCodecBenchmark}.
 */
public final class KrpcCodecBenchmark {
    private static final int ROUNDS = 5;
    private static final long ROUND_NANOS = 1_000_000_000L;

    private KrpcCodecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        KrpcCodec codec = new KrpcCodec();
        Random random = new Random(1);
        RandomMessages gen = new RandomMessages(random);
        TransactionId t = TransactionId.ofShort(0x1234);
        NodeId id = gen.nodeId();
        List<NodeInfo> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(new NodeInfo(gen.nodeId(), new InetSocketAddress(InetAddress.getByAddress(gen.bytes(4)), 6881 + i)));
        }
        Ed25519KeyPair key = Ed25519KeyPair.fromSeed(gen.bytes(32));
        byte[] v = ("50:" + "x".repeat(50)).getBytes(StandardCharsets.US_ASCII);

        Map<String, KrpcMessage> shapes = new LinkedHashMap<>();
        shapes.put("ping query", new PingQuery(t, id));
        shapes.put("find_node query", new FindNodeQuery(t, id, gen.nodeId()));
        shapes.put("find_node response, 8 nodes", KrpcResponse.builder(t, id).nodes(eight).build());
        shapes.put("get_peers response, token + 8 nodes", KrpcResponse.builder(t, id).token(gen.bytes(8)).nodes(eight).build());
        shapes.put("mutable put, 50-byte v", new PutMutableQuery(t, id, gen.bytes(8), v, key.publicKey(),
                Bep44.signMutable(key, new byte[0], 7, v), 7, new byte[0], OptionalLong.empty()));
        shapes.put("error", new KrpcError(t, KrpcError.METHOD_UNKNOWN, "Method Unknown"));

        System.out.printf("%-38s %6s %12s %12s%n", "shape", "bytes", "decode ns", "encode ns");
        for (Map.Entry<String, KrpcMessage> e : shapes.entrySet()) {
            byte[] packet = codec.encode(e.getValue());
            double decode = best(() -> codec.decode(packet));
            double encode = best(() -> codec.encode(e.getValue()));
            System.out.printf("%-38s %6d %12.0f %12.0f%n", e.getKey(), packet.length, decode, encode);
        }
        byte[] garbage = gen.bytes(1200);
        System.out.printf("%-38s %6d %12.0f %12s%n", "random bytes (malformed)", garbage.length, best(() -> codec.decode(garbage)), "-");
    }

    /** Nanoseconds per call, the best of {@link #ROUNDS} rounds after one warm-up round. */
    private static double best(Runnable op) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            long calls = 0;
            long now;
            do {
                for (int i = 0; i < 1000; i++) {
                    op.run();
                }
                calls += 1000;
                now = System.nanoTime();
            } while (now - start < ROUND_NANOS);
            if (round > 0) {
                best = Math.min(best, (now - start) / (double) calls);
            }
        }
        return best;
    }
}
