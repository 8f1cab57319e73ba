package io.restfs.node.transfer;

import static io.restfs.node.transfer.ShardTransferTest.await;
import static io.restfs.node.transfer.ShardTransferTest.failure;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.Unpooled;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/** Bad peers, dead peers and slow peers: every failure is an error value or a closed socket, never a hang or a crash. */
class TransferFailureTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    /** A HAS over a fresh client proves the server still serves. */
    private static void assertStillServes(ShardTransferServer srv) throws Exception {
        try (ShardTransferClient other = client(member(5))) {
            assertFalse(await(other.has(TransferPeer.at(srv.localAddress()), new ShardKey(bytes(32, 77)))));
        }
    }

    private static RawPeer authenticated(ShardTransferServer srv) throws IOException {
        RawPeer raw = new RawPeer(srv.localAddress());
        assertInstanceOf(Frame.Auth.class, raw.handshake(member(2).nodeKey().publicKey(), member(2).nodeKey(),
                TransferFixture.CLUSTER_KEY));
        return raw;
    }

    @Test
    void garbageBytesGetTheConnectionClosedAndOthersAreStillServed() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = new RawPeer(srv.localAddress())) {
            raw.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(raw.closedByServer());
            assertEquals(1, srv.stats().authFailures());
            assertEquals(1, srv.stats().badFrames());
            assertStillServes(srv);
        }
    }

    @Test
    void oversizedFrameGetsAnErrorAndAClose() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = authenticated(srv)) {
            raw.sendRaw(HexFormat.of().parseHex(String.format("%08x", FrameCodec.MAX_FRAME_LENGTH + 1) + "2000000001"));
            Frame.Error error = assertInstanceOf(Frame.Error.class, raw.read());
            assertEquals(TransferStatus.BAD_REQUEST, error.status());
            assertTrue(error.message().contains("frame length"), error.message());
            assertTrue(raw.closedByServer());
            assertStillServes(srv);
        }
    }

    @Test
    void unknownFrameTypeGetsAnErrorAndTheConnectionGoesOn() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             RawPeer raw = authenticated(srv)) {
            raw.sendFrame(0x7e, 5, HexFormat.of().parseHex("beef"));
            Frame.Error error = assertInstanceOf(Frame.Error.class, raw.read());
            assertEquals(5, error.requestId());
            assertEquals(TransferStatus.BAD_REQUEST, error.status());
            raw.send(new Frame.Has(6, new ShardKey(bytes(32, 1))));
            assertEquals(new Frame.Ok(6, false), raw.read());
            assertEquals(1, srv.stats().badFrames());
        }
    }

    @Test
    void dataBeyondTheCreditWindowIsRefused() throws Exception {
        // One store thread, held by a first PUT waiting for its data, so the second PUT's pipe is not
        // drained at all and every byte beyond its window is a protocol violation, deterministically.
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = ShardTransferServer.start(store, member(1),
                     TransferServerConfig.defaults(TransferFixture.loopbackAnyPort()).withStoreThreads(1, 4));
             RawPeer raw = authenticated(srv)) {
            byte[] first = bytes(1000, 2);
            ShardSpec firstSpec = specFor(first, "s", 1);
            raw.send(new Frame.Put(1, firstSpec, first.length));
            int chunks = FrameCodec.STREAM_WINDOW / FrameCodec.CHUNK_BYTES + 1;
            byte[] data = bytes(chunks * FrameCodec.CHUNK_BYTES, 3);
            ShardSpec spec = specFor(data, "s", 2);
            raw.send(new Frame.Put(2, spec, data.length));
            for (int i = 0; i < chunks; i++) {
                raw.send(new Frame.Data(2, Unpooled.wrappedBuffer(data, i * FrameCodec.CHUNK_BYTES, FrameCodec.CHUNK_BYTES)));
            }
            raw.send(new Frame.End(2, spec.sha256()));
            raw.send(new Frame.Data(1, Unpooled.wrappedBuffer(first)));
            raw.send(new Frame.End(1, firstSpec.sha256()));
            Frame.Ok ok = null;
            Frame.Error refused = null;
            while (ok == null || refused == null) {
                Frame f = raw.read();
                if (f instanceof Frame.Ok o) {
                    ok = o;
                } else if (f instanceof Frame.Error e) {
                    refused = e;
                } else {
                    assertInstanceOf(Frame.Credit.class, f);
                }
            }
            assertEquals(1, ok.requestId());
            assertEquals(2, refused.requestId());
            assertEquals(TransferStatus.BAD_REQUEST, refused.status());
            assertTrue(refused.message().contains("credit window"), refused.message());
            assertTrue(store.has(firstSpec.key()));
            assertFalse(store.has(spec.key()));
        }
    }

    @Test
    void requestsBeyondTheStreamLimitAreRefused() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = ShardTransferServer.start(store, member(1),
                     TransferServerConfig.defaults(TransferFixture.loopbackAnyPort()).withMaxStreamsPerConnection(2));
             RawPeer raw = authenticated(srv)) {
            // Two PUT streams opened and left waiting for data hold both slots.
            for (int id = 1; id <= 2; id++) {
                byte[] data = bytes(1000, id);
                raw.send(new Frame.Put(id, specFor(data, "s", id), data.length));
            }
            raw.send(new Frame.Has(3, new ShardKey(bytes(32, 3))));
            Frame.Error error = assertInstanceOf(Frame.Error.class, raw.read());
            assertEquals(3, error.requestId());
            assertTrue(error.message().contains("limit 2"), error.message());
        }
    }

    @Test
    void silentServerTimesOutInsteadOfHanging() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer silent = new RawServer(conn -> release.await(30, TimeUnit.SECONDS));
             ShardTransferClient cli = client(member(2))) {
            long start = System.nanoTime();
            ShardTransferException.Timeout e = failure(ShardTransferException.Timeout.class,
                    cli.has(TransferPeer.at(silent.address()), new ShardKey(bytes(32, 1))));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("handshake"), e.getMessage());
            assertTrue(ms < 10_000, "gave up in " + ms + " ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void serverThatStopsAnsweringMidRequestTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer stuck = new RawServer(conn -> {
                 conn.serverHandshake(member(1));
                 conn.read(); // the request, never answered
                 release.await(30, TimeUnit.SECONDS);
             });
             ShardTransferClient cli = client(member(2))) {
            ShardTransferException.Timeout e = failure(ShardTransferException.Timeout.class,
                    cli.get(TransferPeer.at(stuck.address()), new ShardKey(bytes(32, 1))));
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
            assertEquals(1, cli.stats().timeouts());
        } finally {
            release.countDown();
        }
    }

    @Test
    void serverWithTheWrongClusterKeyIsRefusedByTheClient() throws Exception {
        try (RawServer outsider = new RawServer(conn -> {
                 conn.serverHandshake(new ClusterIdentity(member(1).nodeKey(), bytes(32, 99)));
                 conn.closedByServer();
             });
             ShardTransferClient cli = client(member(2))) {
            ShardTransferException.Unauthorized e = failure(ShardTransferException.Unauthorized.class,
                    cli.has(TransferPeer.at(outsider.address()), new ShardKey(bytes(32, 1))));
            assertFalse(e.byPeer());
            assertTrue(e.getMessage().contains("cluster key"), e.getMessage());
            assertEquals(1, cli.stats().authFailures());
        }
    }

    @Test
    void shardWhoseBytesDoNotMatchTheAnnouncedHashIsReportedCorrupt() throws Exception {
        byte[] data = bytes(100_000, 12);
        Sha256 announced = Sha256.of(bytes(10, 13));
        try (RawServer liar = new RawServer(conn -> {
                 conn.serverHandshake(member(1));
                 Frame.Get get = (Frame.Get) conn.read();
                 conn.send(new Frame.ShardFollows(get.requestId(), data.length, announced));
                 conn.send(new Frame.Data(get.requestId(), Unpooled.wrappedBuffer(data, 0, FrameCodec.CHUNK_BYTES)));
                 conn.send(new Frame.Data(get.requestId(), Unpooled.wrappedBuffer(data, FrameCodec.CHUNK_BYTES,
                         data.length - FrameCodec.CHUNK_BYTES)));
                 conn.send(new Frame.End(get.requestId(), announced));
                 conn.closedByServer();
             });
             ShardTransferClient cli = client(member(2))) {
            ShardTransferException.Corrupt e = failure(ShardTransferException.Corrupt.class,
                    cli.get(TransferPeer.at(liar.address()), ShardKey.of(announced)));
            assertTrue(e.getMessage().contains(Sha256.of(data).hex()), e.getMessage());
        }
    }

    @Test
    void putStopsReadingItsSourceWhenThePeerGrantsNoCredit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RawServer hoarder = new RawServer(conn -> {
                 conn.serverHandshake(member(1));
                 release.await(30, TimeUnit.SECONDS); // reads nothing more and credits nothing
             });
             ShardTransferClient cli = client(member(2))) {
            AtomicLong read = new AtomicLong();
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    read.incrementAndGet();
                    return 0;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    read.addAndGet(len);
                    return len;
                }
            };
            ShardSpec spec = ShardSpec.contentAddressed(Sha256.of(new byte[0]), "s", 0, 1);
            CompletableFuture<Void> put = cli.put(TransferPeer.at(hoarder.address()), spec, endless, 64L << 20);
            failure(ShardTransferException.Timeout.class, put);
            assertTrue(read.get() <= FrameCodec.STREAM_WINDOW,
                    "read " + read.get() + " bytes of the source with a window of " + FrameCodec.STREAM_WINDOW);
            assertTrue(read.get() > 0);
        } finally {
            release.countDown();
        }
    }

    @Test
    void getIntoASlowSinkHoldsNoMoreThanAWindowUnwritten() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            byte[] data = bytes(8 << 20, 4);
            ShardSpec spec = specFor(data, "s", 0);
            store.put(spec, data);
            AtomicLong written = new AtomicLong();
            AtomicLong worstBacklog = new AtomicLong();
            OutputStream slowSink = new OutputStream() {
                @Override
                public void write(int b) {
                    written.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    long backlog = cli.stats().bytesReceived() - written.get();
                    worstBacklog.accumulateAndGet(backlog, Math::max);
                    written.addAndGet(len);
                    try {
                        Thread.sleep(1); // a slow disk
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            assertEquals(spec.sha256(), await(cli.get(TransferPeer.at(srv.localAddress()), spec.key(), slowSink)));
            assertEquals(data.length, written.get());
            assertTrue(worstBacklog.get() <= FrameCodec.STREAM_WINDOW,
                    "received but unwritten peaked at " + worstBacklog.get());
        }
    }

    @Test
    void lostConnectionIsRetriedWithBackoffAndThenReported() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ShardTransferClient cli = client(member(2))) {
            byte[] data = bytes(1000, 5);
            ShardTransferException.ConnectionFailed e = failure(ShardTransferException.ConnectionFailed.class,
                    cli.put(TransferPeer.at(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
                            specFor(data, "s", 0), data));
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
            assertEquals(TransferFixture.quickConfig().maxAttempts() - 1, cli.stats().retries());
        }
    }

    @Test
    void retrySucceedsWhenThePeerComesUpDuringBackoff() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TransferClientConfig patient = TransferFixture.quickConfig().withRetries(8, Duration.ofMillis(100));
        try (ShardStore store = store(dir, GIB);
             ShardTransferClient cli = ShardTransferClient.create(member(2), patient, new SplittableRandom(1))) {
            byte[] data = bytes(1000, 6);
            ShardSpec spec = specFor(data, "s", 0);
            CompletableFuture<Void> put = cli.put(TransferPeer.at(address), spec, data);
            Thread.sleep(300);
            try (ShardTransferServer srv = ShardTransferServer.start(store, member(1), TransferServerConfig.defaults(address))) {
                await(put);
                assertTrue(store.has(spec.key()));
                assertTrue(cli.stats().retries() >= 1);
            }
        }
    }

    @Test
    void serverClosingMidStreamFailsTheStreamedPutWithoutRetry() throws Exception {
        try (ShardStore store = store(dir, GIB);
             ShardTransferClient cli = client(member(2))) {
            ShardTransferServer srv = server(store, 1);
            CountDownLatch halfway = new CountDownLatch(1);
            long length = 4L << 20;
            InputStream source = new InputStream() {
                final SplittableRandom random = new SplittableRandom(8);
                long served;

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (served > length / 2) {
                        halfway.countDown();
                        try {
                            Thread.sleep(5); // slow enough that the close lands mid-stream
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    for (int i = 0; i < len; i++) {
                        b[off + i] = (byte) random.nextInt();
                    }
                    served += len;
                    return len;
                }
            };
            ShardSpec spec = ShardSpec.contentAddressed(Sha256.of(new byte[1]), "s", 0, 1);
            CompletableFuture<Void> put = cli.put(TransferPeer.at(srv.localAddress()), spec, source, length);
            assertTrue(halfway.await(20, TimeUnit.SECONDS));
            srv.close();
            ShardTransferException.ConnectionFailed e = failure(ShardTransferException.ConnectionFailed.class, put);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertEquals(0, cli.stats().retries(), "a half-read stream cannot be replayed");
            assertFalse(store.has(spec.key()));
            assertEquals(0, store.stats().reservedBytes(), "the abandoned write released its reservation");
        }
    }

    @Test
    void idleAndUnauthenticatedConnectionsAreClosed() throws Exception {
        TransferServerConfig config = TransferServerConfig.defaults(TransferFixture.loopbackAnyPort())
                .withTimeouts(Duration.ofMillis(800), Duration.ofMillis(400));
        try (ShardStore store = store(dir, GIB);
             ShardTransferServer srv = ShardTransferServer.start(store, member(1), config)) {
            try (RawPeer mute = new RawPeer(srv.localAddress())) {
                Frame.Error error = assertInstanceOf(Frame.Error.class, mute.read());
                assertEquals(TransferStatus.UNAUTHORIZED, error.status());
                assertTrue(mute.closedByServer());
            }
            try (RawPeer idle = authenticated(srv)) {
                assertTrue(idle.closedByServer());
            }
            assertEquals(1, srv.stats().authFailures());
            assertEquals(1, srv.stats().timeouts());
        }
    }

    @Test
    void putAfterTheStoreIsFullAndEmptiedAgainWorks() throws Exception {
        // The refusal path must not leak reservations or stream slots: fill, refuse, delete, put again.
        try (ShardStore store = store(dir, 300_000);
             ShardTransferServer srv = server(store, 1);
             ShardTransferClient cli = client(member(2))) {
            TransferPeer peer = TransferPeer.at(srv.localAddress());
            byte[] a = bytes(200_000, 1);
            byte[] b = bytes(200_000, 2);
            await(cli.put(peer, specFor(a, "s", 0), a));
            for (int i = 0; i < 20; i++) {
                failure(ShardTransferException.Capacity.class, cli.put(peer, specFor(b, "s", 1), b));
            }
            assertTrue(await(cli.delete(peer, specFor(a, "s", 0).key())));
            await(cli.put(peer, specFor(b, "s", 1), b));
            assertArrayEquals(b, await(cli.get(peer, specFor(b, "s", 1).key())));
        }
    }
}
