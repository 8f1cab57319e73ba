package io.restfs.node.transfer;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardMeta;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/**
 * Child process of {@link BoundedHeapTransferTest}: a server and a client in one JVM whose heap and
 * direct memory are each far smaller than the shard, streaming it from a generator into the store.
 * Prints {@code stored <size> <sha256> in <ms> ...} and exits 0 on success.
 */
public final class BoundedHeapPut {

    private BoundedHeapPut() {
    }

    /** A deterministic stream of {@code length} pseudo-random bytes, generated as it is read. */
    static InputStream generated(long seed, long length) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long left = length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt();
                }
                left -= n;
                return n;
            }
        };
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long length = Long.parseLong(args[1]);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = generated(1, length)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        Sha256 sha = new Sha256(digest.digest());
        ShardSpec spec = ShardSpec.contentAddressed(sha, "large", 0, 1);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ShardStore store = ShardStore.open(dir, 1L << 30, java.time.Clock.systemUTC());
             ShardTransferServer server = ShardTransferServer.start(store, TransferFixture.member(1),
                     TransferServerConfig.defaults(loopback));
             ShardTransferClient client = ShardTransferClient.create(TransferFixture.member(2),
                     TransferClientConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20)),
                     new SplittableRandom(1))) {
            long start = System.nanoTime();
            client.put(TransferPeer.at(server.localAddress()), spec, generated(1, length), length)
                    .get(120, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            ShardMeta meta = store.meta(spec.key()).orElseThrow();
            Runtime rt = Runtime.getRuntime();
            System.out.println("stored " + meta.size() + " " + meta.sha256() + " in " + ms + " ms (generating included), max heap "
                    + (rt.maxMemory() >> 20) + " MiB");
        }
    }
}
