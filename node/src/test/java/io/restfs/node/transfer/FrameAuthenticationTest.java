package io.restfs.node.transfer;

import static io.restfs.node.transfer.TamperingProxy.Direction.TO_CLIENT;
import static io.restfs.node.transfer.TamperingProxy.Direction.TO_SERVER;
import static io.restfs.node.transfer.TamperingProxy.flip;
import static io.restfs.node.transfer.TamperingProxy.type;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;

/**
 * Frames after the handshake are authenticated: a man in the middle (a real TCP proxy between a real
 * client and server) who alters, replays, injects or drops a frame gets the connection closed, changes
 * nothing in the store, and the next request, on a fresh connection, is served.
 */
class FrameAuthenticationTest {

    private static final long GIB = 1L << 30;
    /** Byte offsets in a tagged frame: length 0..4, type 4, request id 5..9, tag 9..25, body from 25. */
    private static final int BODY = 4 + FrameCodec.HEADER_AFTER_LENGTH + SessionMac.TAG_BYTES;

    @TempDir
    Path dir;

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    /** A store served by a server, the proxy in front of it, and a client that reaches the server through it. */
    private static final class Rig implements AutoCloseable {
        final ShardStore store;
        final ShardTransferServer srv;
        final TamperingProxy proxy;
        final ShardTransferClient client;
        final TransferPeer peer;

        Rig(Path dir, TamperingProxy.Tamperer tamperer) throws Exception {
            store = store(dir, GIB);
            srv = server(store, 1);
            proxy = new TamperingProxy(srv.localAddress(), tamperer);
            client = client(member(2));
            peer = TransferPeer.at(proxy.address());
        }

        @Override
        public void close() throws Exception {
            try (store; srv; proxy; client) {
                // closed in reverse order
            }
        }
    }

    @Test
    void flippedBitInAnAnswerClosesTheConnectionAndTheRetryGetsTheTruth() throws Exception {
        byte[] absent = bytes(1000, 1);
        // HAS answered "absent" becomes "present" on the way back.
        try (Rig rig = new Rig(dir, (direction, index, frame) ->
                List.of(direction == TO_CLIENT && type(frame) == FrameCodec.OK ? flip(frame, BODY, 0) : frame))) {
            assertFalse(await(rig.client.has(rig.peer, specFor(absent, "s", 0).key())), "the altered answer was believed");
            assertTrue(rig.proxy.awaitFirstClosed());
            assertEquals(1, rig.client.stats().frameAuthFailures());
            assertEquals(2, rig.proxy.connections(), "the retry went over a fresh connection");
            assertFalse(await(rig.client.has(rig.peer, specFor(absent, "s", 0).key())));
        }
    }

    @Test
    void flippedBitInARequestClosesTheConnectionAndNothingWrongIsStored() throws Exception {
        byte[] data = bytes(1000, 2);
        ShardSpec spec = specFor(data, "s", 3);
        // The PUT's shard index 3 becomes 2: without a tag the store would record the wrong index.
        try (Rig rig = new Rig(dir, (direction, index, frame) -> List.of(direction == TO_SERVER
                && type(frame) == FrameCodec.PUT ? flip(frame, BODY + 32 + 32 + 3, 0) : frame))) {
            await(rig.client.put(rig.peer, spec, data));
            assertTrue(rig.proxy.awaitFirstClosed());
            assertEquals(1, rig.srv.stats().frameAuthFailures());
            assertEquals(3, rig.store.meta(spec.key()).orElseThrow().spec().shardIndex());
            assertEquals(2, rig.proxy.connections());
            assertArrayEquals(data, await(rig.client.get(rig.peer, spec.key())));
        }
    }

    @Test
    void replayedDeleteIsRefusedAndTheShardStays() throws Exception {
        byte[] a = bytes(1000, 3);
        byte[] b = bytes(1000, 4);
        ShardSpec specA = specFor(a, "s", 0);
        ShardSpec specB = specFor(b, "s", 1);
        AtomicReference<byte[]> recorded = new AtomicReference<>();
        // The DELETE of b is recorded as it passes; after the next HAS it is sent again.
        try (Rig rig = new Rig(dir, (direction, index, frame) -> {
            if (direction == TO_SERVER && type(frame) == FrameCodec.DELETE) {
                recorded.set(frame);
            } else if (direction == TO_SERVER && type(frame) == FrameCodec.HAS && recorded.get() != null) {
                return List.of(frame, recorded.get());
            }
            return List.of(frame);
        })) {
            rig.store.put(specA, a);
            rig.store.put(specB, b);
            assertTrue(await(rig.client.delete(rig.peer, specB.key())));
            rig.store.put(specB, b); // stored again, by another writer
            assertTrue(await(rig.client.has(rig.peer, specA.key())));
            assertTrue(rig.proxy.awaitFirstClosed());
            assertEquals(1, rig.srv.stats().frameAuthFailures());
            assertTrue(rig.store.has(specB.key()), "the replayed DELETE was acted on");
            assertTrue(await(rig.client.has(rig.peer, specB.key())));
        }
    }

    @Test
    void injectedDeleteIsRefusedAndTheShardStays() throws Exception {
        byte[] a = bytes(1000, 5);
        ShardSpec spec = specFor(a, "s", 0);
        // What an attacker without the session key can send: a well-formed DELETE with a guessed tag.
        ByteBuf forged = Unpooled.buffer();
        forged.writeInt(FrameCodec.HEADER_AFTER_LENGTH + SessionMac.TAG_BYTES + 32).writeByte(FrameCodec.DELETE)
                .writeInt(1000).writeBytes(bytes(SessionMac.TAG_BYTES, 6)).writeBytes(spec.key().bytes());
        byte[] delete = new byte[forged.readableBytes()];
        forged.readBytes(delete);
        // Injected right after the handshake, ahead of the client's first request.
        try (Rig rig = new Rig(dir, (direction, index, frame) ->
                direction == TO_SERVER && index == 2 ? List.of(delete, frame) : List.of(frame))) {
            rig.store.put(spec, a);
            assertTrue(await(rig.client.has(rig.peer, spec.key())));
            assertTrue(rig.proxy.awaitFirstClosed());
            assertEquals(1, rig.srv.stats().frameAuthFailures());
            assertTrue(rig.store.has(spec.key()), "the injected DELETE was acted on");
            assertArrayEquals(a, await(rig.client.get(rig.peer, spec.key())));
        }
    }

    @Test
    void droppedFrameIsNoticedAtTheNextOneAndNothingHalfSentIsStored() throws Exception {
        byte[] data = bytes(3 * FrameCodec.CHUNK_BYTES, 7);
        ShardSpec spec = specFor(data, "s", 0);
        // The PUT's first DATA frame vanishes; the two after it and END still arrive.
        try (Rig rig = new Rig(dir, (direction, index, frame) ->
                direction == TO_SERVER && index == 3 ? List.of() : List.of(frame))) {
            await(rig.client.put(rig.peer, spec, data));
            assertTrue(rig.proxy.awaitFirstClosed());
            assertEquals(1, rig.srv.stats().frameAuthFailures());
            assertEquals(2, rig.proxy.connections());
            assertArrayEquals(data, rig.store.get(spec.key()));
            assertArrayEquals(data, await(rig.client.get(rig.peer, spec.key())));
        }
    }

    @Test
    void alteredChunkIsCaughtByTheShardHashNotTheTagAndNothingIsStored() throws Exception {
        // A DATA frame's tag leaves its chunk out (SessionMac): the hash in the tagged PUT binds it.
        byte[] data = bytes(2 * FrameCodec.CHUNK_BYTES, 8);
        ShardSpec spec = specFor(data, "s", 0);
        try (Rig rig = new Rig(dir, (direction, index, frame) -> List.of(direction == TO_SERVER
                && type(frame) == FrameCodec.DATA ? flip(frame, BODY + 100, 3) : frame))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(rig.client.put(rig.peer, spec, data)));
            ShardTransferException.Refused refused = assertInstanceOf(ShardTransferException.Refused.class, e.getCause());
            assertEquals(Optional.of(TransferStatus.HASH_MISMATCH), refused.status());
            assertFalse(rig.store.has(spec.key()));
            assertEquals(0, rig.srv.stats().frameAuthFailures());
            assertEquals(1, rig.proxy.connections(), "a failed hash is a refused request, not a broken connection");
        }
    }
}
