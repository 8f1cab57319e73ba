package io.restfs.node.transfer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.crypto.Ed25519KeyPair;

/** Keys, stores and servers for the socket tests; all on loopback, all closed by the test. */
final class TransferFixture {

    static final byte[] CLUSTER_KEY = bytes(ClusterIdentity.CLUSTER_KEY_BYTES, 7);

    private TransferFixture() {
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static Ed25519KeyPair key(int seed) {
        return Ed25519KeyPair.fromSeed(bytes(32, 1000 + seed));
    }

    static ClusterIdentity member(int seed) {
        return new ClusterIdentity(key(seed), CLUSTER_KEY);
    }

    static InetSocketAddress loopbackAnyPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static ShardStore store(Path dir, long capacity) {
        return ShardStore.open(dir, capacity, Clock.systemUTC());
    }

    static ShardTransferServer server(ShardStore store, int seed) {
        return ShardTransferServer.start(store, member(seed), TransferServerConfig.defaults(loopbackAnyPort()));
    }

    /** Short timeouts and quick retries, so failure tests finish in seconds. */
    static TransferClientConfig quickConfig() {
        return TransferClientConfig.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .withRetries(3, Duration.ofMillis(50));
    }

    static ShardTransferClient client(ClusterIdentity identity) {
        return ShardTransferClient.create(identity, quickConfig(), new SplittableRandom(42));
    }

    static ShardSpec specFor(byte[] data, String segment, int index) {
        return ShardSpec.contentAddressed(Sha256.of(data), segment, index, 1);
    }
}
