package io.restfs.node.transfer;

import static io.restfs.node.transfer.TransferFixture.bytes;
import static io.restfs.node.transfer.TransferFixture.client;
import static io.restfs.node.transfer.TransferFixture.member;
import static io.restfs.node.transfer.TransferFixture.server;
import static io.restfs.node.transfer.TransferFixture.specFor;
import static io.restfs.node.transfer.TransferFixture.store;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/** Client and server over real loopback sockets, against a real shard store on disk. */
class ShardTransferTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static <E extends Throwable> E failure(Class<E> type, CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause(), "failure was " + e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            fail("request hung: " + e);
        }
        return fail("expected " + type.getSimpleName() + ", but the request succeeded");
    }

    @Test
    void putGetHasDeleteRoundTrip() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            TransferPeer peer = TransferPeer.at(srv.localAddress());
            byte[] data = bytes(300_000, 1); // five chunks, the last one partial
            ShardSpec spec = specFor(data, "seg-1", 3);

            assertFalse(await(cli.has(peer, spec.key())));
            await(cli.put(peer, spec, data));
            assertTrue(store.has(spec.key()), "stored on the server's disk");
            assertEquals(spec, store.meta(spec.key()).orElseThrow().spec());
            assertTrue(await(cli.has(peer, spec.key())));
            assertArrayEquals(data, await(cli.get(peer, spec.key())));

            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            assertEquals(spec.sha256(), await(cli.get(peer, spec.key(), sink)));
            assertArrayEquals(data, sink.toByteArray());

            assertTrue(await(cli.delete(peer, spec.key())));
            assertFalse(await(cli.delete(peer, spec.key())));
            assertFalse(store.has(spec.key()));
            ShardTransferException.NotFound nf = failure(ShardTransferException.NotFound.class, cli.get(peer, spec.key()));
            assertEquals(spec.key(), nf.key().orElseThrow());
            assertTrue(srv.stats().bytesReceived() >= data.length);
            assertEquals(1, srv.stats().handshakesCompleted(), "one pooled connection served every request");
        }
    }

    @Test
    void emptyShardAndStreamedPutRoundTrip() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            TransferPeer peer = TransferPeer.at(srv.localAddress());
            ShardSpec empty = specFor(new byte[0], "empty", 0);
            await(cli.put(peer, empty, new byte[0]));
            assertArrayEquals(new byte[0], await(cli.get(peer, empty.key())));

            byte[] data = bytes(1 << 20, 2);
            ShardSpec spec = specFor(data, "streamed", 1);
            await(cli.put(peer, spec, new ByteArrayInputStream(data), data.length));
            assertArrayEquals(data, store.get(spec.key()));
        }
    }

    @Test
    void pinnedPeerWithTheRightNodeIdIsAccepted() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            TransferPeer peer = TransferPeer.pinned(srv.localAddress(), member(1).nodeId());
            assertFalse(await(cli.has(peer, new ShardKey(bytes(32, 5)))));
        }
    }

    @Test
    void pinnedNodeIdMismatchIsRefusedByTheClient() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            TransferPeer impostor = TransferPeer.pinned(srv.localAddress(), member(3).nodeId());
            ShardTransferException.Unauthorized e =
                    failure(ShardTransferException.Unauthorized.class, cli.has(impostor, new ShardKey(bytes(32, 5))));
            assertFalse(e.byPeer());
            assertTrue(e.getMessage().contains("expected node " + member(3).nodeId()), e.getMessage());
            assertEquals(1, cli.stats().authFailures());
            assertEquals(0, cli.stats().retries(), "an authentication failure is not retried");
        }
    }

    @Test
    void peerWithoutTheClusterKeyIsRefused() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient outsider = client(new ClusterIdentity(TransferFixture.key(9), bytes(32, 99)))) {
            byte[] data = bytes(1000, 3);
            ShardSpec spec = specFor(data, "s", 0);
            ShardTransferException.Unauthorized e = failure(ShardTransferException.Unauthorized.class,
                    outsider.put(TransferPeer.at(srv.localAddress()), spec, data));
            assertTrue(e.byPeer(), "the server refused it: " + e.getMessage());
            assertFalse(store.has(spec.key()));
            assertEquals(1, srv.stats().authFailures());
            assertEquals(0, srv.stats().handshakesCompleted());
        }
    }

    @Test
    void serverWithoutTheClusterKeyIsRefusedByTheClient() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer outsider = ShardTransferServer.start(store,
                     new ClusterIdentity(TransferFixture.key(9), bytes(32, 99)),
                     TransferServerConfig.defaults(TransferFixture.loopbackAnyPort()));
             ShardTransferClient cli = client(member(2))) {
            // The outsider server refuses us first (our MAC is wrong to it), so either side may report it.
            ShardTransferException.Unauthorized e = failure(ShardTransferException.Unauthorized.class,
                    cli.has(TransferPeer.at(outsider.localAddress()), new ShardKey(bytes(32, 5))));
            assertTrue(e.getMessage().contains("handshake") || e.getMessage().contains("cluster"), e.getMessage());
        }
    }

    @Test
    void peerWhoseSignatureDoesNotMatchItsClaimedKeyIsRefused() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = new RawPeer(srv.localAddress())) {
            // Claims node 2's key but can only sign with node 3's: it knows the cluster key, not node 2's secret.
            Frame answer = raw.handshake(member(2).nodeKey().publicKey(), TransferFixture.key(3), TransferFixture.CLUSTER_KEY);
            Frame.Error error = assertInstanceOf(Frame.Error.class, answer);
            assertEquals(TransferStatus.UNAUTHORIZED, error.status());
            assertTrue(raw.closedByServer());
            assertEquals(1, srv.stats().authFailures());
        }
    }

    @Test
    void clientProofReflectedBackAsTheServersIsRejected() {
        // A man in the middle that echoes the client's own HELLO and AUTH back cannot pass as a server:
        // the client checks the server's proof against the "server" transcript.
        ClusterIdentity me = member(2);
        byte[] nonce = bytes(32, 1);
        byte[] clientTranscript = Handshake.transcript(Handshake.Role.CLIENT, me.nodeKey().publicKey(),
                me.nodeKey().publicKey(), nonce, nonce);
        Frame.Auth mine = Handshake.prove(me, clientTranscript);
        byte[] serverTranscript = Handshake.transcript(Handshake.Role.SERVER, me.nodeKey().publicKey(),
                me.nodeKey().publicKey(), nonce, nonce);
        assertTrue(Handshake.check(mine, me.nodeKey().publicKey(), me.clusterKey(), clientTranscript).isEmpty());
        assertTrue(Handshake.check(mine, me.nodeKey().publicKey(), me.clusterKey(), serverTranscript).isPresent());
    }

    @Test
    void requestBeforeTheHandshakeIsRefusedAndNotServed() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = new RawPeer(srv.localAddress())) {
            byte[] data = bytes(100, 4);
            store.put(specFor(data, "s", 0), data);
            raw.send(new Frame.Get(1, specFor(data, "s", 0).key()));
            Frame.Error error = assertInstanceOf(Frame.Error.class, raw.read());
            assertEquals(TransferStatus.UNAUTHORIZED, error.status());
            assertTrue(raw.closedByServer());
            assertEquals(1, srv.stats().authFailures());
        }
    }

    @Test
    void putWithTheWrongHashIsRefusedAndNothingIsStored() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            byte[] data = bytes(200_000, 5);
            ShardSpec lying = ShardSpec.contentAddressed(Sha256.of(bytes(10, 6)), "s", 0, 1);
            ShardTransferException.HashMismatch e = failure(ShardTransferException.HashMismatch.class,
                    cli.put(TransferPeer.at(srv.localAddress()), lying, data));
            assertEquals(lying.key(), e.key().orElseThrow());
            assertFalse(store.has(lying.key()));
            assertEquals(0, store.stats().shardCount());
            assertEquals(0, cli.stats().retries(), "a refusal is not retried");
        }
    }

    @Test
    void senderWhoseEndHashLiesIsCaughtByTheStore() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = new RawPeer(srv.localAddress())) {
            assertInstanceOf(Frame.Auth.class, raw.handshake(member(2).nodeKey().publicKey(), member(2).nodeKey(),
                    TransferFixture.CLUSTER_KEY));
            byte[] data = bytes(1000, 7);
            ShardSpec spec = ShardSpec.contentAddressed(Sha256.of(bytes(1000, 8)), "s", 0, 1);
            raw.send(new Frame.Put(1, spec, data.length));
            raw.send(new Frame.Data(1, io.netty.buffer.Unpooled.wrappedBuffer(data)));
            raw.send(new Frame.End(1, spec.sha256())); // claims the promised hash; the bytes say otherwise
            Frame answer = raw.read();
            while (answer instanceof Frame.Credit) {
                answer = raw.read();
            }
            Frame.Error error = assertInstanceOf(Frame.Error.class, answer);
            assertEquals(TransferStatus.HASH_MISMATCH, error.status());
            assertFalse(store.has(spec.key()));
        }
    }

    @Test
    void corruptShardOnTheServerIsReportedAsCorrupt() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            byte[] data = bytes(5000, 9);
            ShardSpec spec = specFor(data, "s", 0);
            store.put(spec, data);
            String hex = spec.key().hex();
            Path file = dir.resolve("shards").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(100);
                int b = f.read();
                f.seek(100);
                f.write(b ^ 0x01);
            }
            ShardTransferException.Corrupt e = failure(ShardTransferException.Corrupt.class,
                    cli.get(TransferPeer.at(srv.localAddress()), spec.key()));
            assertEquals(TransferStatus.CORRUPT, e.status().orElseThrow());
            assertTrue(e.getMessage().contains(hex), e.getMessage());
        }
    }

    @Test
    void capacityRefusalSurfacesAsCapacityAndIsNotRetried() throws Exception {
        try (ShardStore store = store(dir, 100_000);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            byte[] data = bytes(500_000, 10);
            ShardSpec spec = specFor(data, "s", 0);
            ShardTransferException.Capacity e = failure(ShardTransferException.Capacity.class,
                    cli.put(TransferPeer.at(srv.localAddress()), spec, new ByteArrayInputStream(data), data.length));
            assertTrue(e.getMessage().contains("100000"), e.getMessage());
            assertEquals(0, cli.stats().retries());
            assertFalse(store.has(spec.key()));
            // The connection survives the refused stream: the rest of its DATA is dropped quietly.
            byte[] small = bytes(1000, 11);
            await(cli.put(TransferPeer.at(srv.localAddress()), specFor(small, "s", 1), small));
            assertEquals(1, store.stats().shardCount());
            assertEquals(1, srv.stats().handshakesCompleted());
        }
    }

    @Test
    void requestsBeyondThePoolsRoomWaitForASlotAndAllComplete() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = ShardTransferClient.create(member(2),
                     TransferFixture.quickConfig().withPool(1, 2), new java.util.SplittableRandom(3))) {
            TransferPeer peer = TransferPeer.at(srv.localAddress());
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            List<byte[]> shards = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] data = bytes(100_000 + i, 500 + i);
                shards.add(data);
                puts.add(cli.put(peer, specFor(data, "pool", i), new ByteArrayInputStream(data), data.length));
            }
            for (CompletableFuture<Void> p : puts) {
                await(p);
            }
            for (byte[] data : shards) {
                assertTrue(store.has(ShardKey.of(Sha256.of(data))));
            }
            assertEquals(1, srv.stats().handshakesCompleted(), "one connection, two streams at a time");
            assertEquals(0, srv.stats().refusals(), "the client never exceeded the stream limit");
        }
    }

    @Test
    void concurrentPutsFromSeveralClientsAllLand() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1)) {
            TransferPeer peer = TransferPeer.at(srv.localAddress());
            List<ShardTransferClient> clients = new ArrayList<>();
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            List<byte[]> shards = new ArrayList<>();
            try {
                for (int c = 0; c < 4; c++) {
                    ShardTransferClient cli = client(member(10 + c));
                    clients.add(cli);
                    for (int i = 0; i < 10; i++) {
                        byte[] data = bytes(50_000 + 37_000 * i, 100L * c + i);
                        shards.add(data);
                        puts.add(cli.put(peer, specFor(data, "c" + c, i), data));
                    }
                }
                for (CompletableFuture<Void> p : puts) {
                    await(p);
                }
                assertEquals(40, store.stats().shardCount());
                for (byte[] data : shards) {
                    assertArrayEquals(data, store.get(ShardKey.of(Sha256.of(data))));
                }
                long connections = srv.stats().handshakesCompleted();
                assertTrue(connections >= 4 && connections <= 4 * TransferClientConfig.DEFAULT_MAX_CONNECTIONS,
                        "each client pooled its requests on at most its connection limit: " + connections);
            } finally {
                clients.forEach(ShardTransferClient::close);
            }
        }
    }
}
