package io.restfs.node.transfer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/**
 * Loopback shard transfer throughput (run by hand, not a test):
 * {@code java -cp <test-classes>:<classes>:<deps> io.restfs.node.transfer.TransferBenchmark [shards] [shardKiB] [inFlight] [dir]}.
 * Puts then gets {@code shards} random shards with {@code inFlight} requests outstanding, into a shard
 * store under {@code dir} (default: a temporary folder, deleted after), and prints MB/s for each phase.
 * Puts include the store's two fsyncs per shard, so they measure the disk as much as the protocol.
 */
public final class TransferBenchmark {

    private TransferBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int shards = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int shardBytes = (args.length > 1 ? Integer.parseInt(args[1]) : 1024) * 1024;
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("transfer-bench");
        List<byte[]> data = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < shards; i++) {
            byte[] b = new byte[shardBytes];
            random.nextBytes(b);
            data.add(b);
        }
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ShardStore store = ShardStore.open(dir.resolve("store"), Long.MAX_VALUE / 2, Clock.systemUTC());
             ShardTransferServer server = ShardTransferServer.start(store, TransferFixture.member(1),
                     TransferServerConfig.defaults(loopback));
             ShardTransferClient client = ShardTransferClient.create(TransferFixture.member(2),
                     TransferClientConfig.defaults(), new SplittableRandom(2))) {
            TransferPeer peer = TransferPeer.at(server.localAddress());
            for (int round = 1; round <= 2; round++) {
                String tag = round == 1 ? "warm-up" : "measured";
                Semaphore window = new Semaphore(inFlight);
                List<CompletableFuture<?>> all = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < shards; i++) {
                    byte[] b = data.get(i);
                    ShardSpec spec = ShardSpec.contentAddressed(Sha256.of(b), "bench", i, round);
                    window.acquire();
                    all.add(client.put(peer, spec, b).whenComplete((v, e) -> window.release()));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
                long t1 = System.nanoTime();
                all.clear();
                for (int i = 0; i < shards; i++) {
                    window.acquire();
                    all.add(client.get(peer, io.restfs.blockstore.store.ShardKey.of(Sha256.of(data.get(i))))
                            .whenComplete((v, e) -> window.release()));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
                long t2 = System.nanoTime();
                double mb = (double) shards * shardBytes / 1e6;
                System.out.printf("%s: %d shards of %d KiB, %d in flight: put %.0f MB/s (%.2f ms/shard), get %.0f MB/s%n",
                        tag, shards, shardBytes / 1024, inFlight, mb / ((t1 - t0) / 1e9),
                        (t1 - t0) / 1e6 / shards, mb / ((t2 - t1) / 1e9));
                if (round == 1) {
                    for (int i = 0; i < shards; i++) {
                        store.delete(io.restfs.blockstore.store.ShardKey.of(Sha256.of(data.get(i))));
                    }
                }
            }
        } finally {
            if (args.length <= 3) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
