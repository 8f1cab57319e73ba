package io.restfs.node.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.restfs.blockstore.store.ShardKey;

/** Tagged frames (the layout in {@link FrameCodec}, the scheme in {@link SessionMac}), in memory. */
class SessionMacTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY_BYTES = TransferFixture.bytes(32, 11);
    private static final ShardKey SHARD = new ShardKey(TransferFixture.bytes(32, 12));

    private static SessionMac sending(byte[] key) {
        SessionMac s = new SessionMac();
        s.startSending(key);
        return s;
    }

    private static SessionMac receiving(byte[] key) {
        SessionMac s = new SessionMac();
        s.startReceiving(key);
        return s;
    }

    /** The bytes {@code frames} go on the wire as, through an encoder of {@code session}. */
    private static byte[] sealed(SessionMac session, Frame... frames) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Encoder(session));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            ch.writeOutbound(f);
            for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
                out.writeBytes(ByteBufUtil.getBytes(b));
                b.release();
            }
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    /** HMAC-SHA256 of {@code hex} under the key, cut to the tag: computed here, not by the code under test. */
    private static String tag(String hex) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
        return HEX.formatHex(Arrays.copyOf(mac.doFinal(HEX.parseHex(hex)), SessionMac.TAG_BYTES));
    }

    @Test
    void tagCoversSequenceHeaderAndBodyButNotADataChunk() throws Exception {
        byte[] wire = sealed(sending(KEY_BYTES), new Frame.Has(7, SHARD),
                new Frame.Data(3, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaa, (byte) 0xbb})));
        String has = "00000035" + "12" + "00000007"; // 5 + 16 + 32 bytes
        String data = "00000017" + "20" + "00000003"; // 5 + 16 + 2 bytes
        String expected = has + tag("0000000000000000" + has + HEX.formatHex(SHARD.bytes())) + HEX.formatHex(SHARD.bytes())
                + data + tag("0000000000000001" + data) + "aabb";
        assertEquals(expected, HEX.formatHex(wire));
    }

    /** Feeds {@code bytes} to a decoder that checks tags under the key; returns what it yields, in order. */
    private static Object[] decode(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder(receiving(KEY_BYTES)));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        Object[] out = ch.inboundMessages().toArray();
        for (Object o : out) {
            if (o instanceof Frame.Data d) {
                d.release();
            }
        }
        ch.inboundMessages().clear();
        ch.finishAndReleaseAll();
        return out;
    }

    @Test
    void everyFlippedBitOfAControlFrameFailsItAndNothingAfterItIsRead() {
        byte[] has = sealed(sending(KEY_BYTES), new Frame.Has(7, SHARD), new Frame.Ok(8, true));
        assertEquals(2, decode(has).length);
        // Bits of the length field are left out: they lose the framing, which the decoder handles apart.
        int hasLength = 4 + 5 + SessionMac.TAG_BYTES + 32;
        for (int bit = 4 * 8; bit < hasLength * 8; bit++) {
            byte[] altered = has.clone();
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            Object[] out = decode(altered);
            assertEquals(1, out.length, "bit " + bit);
            assertEquals(0, assertInstanceOf(Frame.Unauthenticated.class, out[0], "bit " + bit).sequence());
        }
    }

    @Test
    void replayedReorderedDroppedOrMisdirectedFramesFail() {
        SessionMac sender = sending(KEY_BYTES);
        byte[] first = sealed(sender, new Frame.Has(1, SHARD));
        byte[] second = sealed(sender, new Frame.Has(2, SHARD));
        byte[] third = sealed(sender, new Frame.Has(3, SHARD));
        Object[] replayed = decode(concat(first, first, second));
        assertEquals(2, replayed.length);
        assertEquals(1, assertInstanceOf(Frame.Unauthenticated.class, replayed[1]).sequence());
        Object[] reordered = decode(concat(second, first));
        assertEquals(0, assertInstanceOf(Frame.Unauthenticated.class, reordered[0]).sequence());
        Object[] dropped = decode(concat(first, third));
        assertEquals(2, dropped.length);
        assertInstanceOf(Frame.Has.class, dropped[0]);
        assertInstanceOf(Frame.Unauthenticated.class, dropped[1]);
        byte[] otherKey = TransferFixture.bytes(32, 13);
        assertInstanceOf(Frame.Unauthenticated.class, decode(sealed(sending(otherKey), new Frame.Has(1, SHARD)))[0]);
        // An untagged frame, as a peer of protocol version 1 (or an attacker without the key) would send it.
        assertInstanceOf(Frame.Unauthenticated.class, decode(ByteBufUtil.getBytes(
                FrameCodec.encode(new Frame.Has(1, SHARD), Unpooled.buffer().alloc())))[0]);
    }

    @Test
    void alteredDataChunkPassesTheTagForTheShardHashToCatch() {
        byte[] wire = sealed(sending(KEY_BYTES), new Frame.Data(4, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        wire[wire.length - 1] ^= 1;
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder(receiving(KEY_BYTES)));
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        Frame.Data d = assertInstanceOf(Frame.Data.class, ch.readInbound());
        assertArrayEquals(new byte[] {1, 2, 2}, ByteBufUtil.getBytes(d.chunk()));
        d.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void checkingStartsWithTheFrameAfterTheOneThatStartedTheSession() {
        // AUTH (untagged) and the first tagged request arrive in one read: the decoder must hand over AUTH,
        // and let the handler start the session, before it reads the request.
        SessionMac session = new SessionMac();
        ChannelInboundHandlerAdapter handshake = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Frame.Auth) {
                    session.startReceiving(KEY_BYTES);
                }
                ctx.fireChannelRead(msg);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder(session), handshake);
        byte[] auth = ByteBufUtil.getBytes(FrameCodec.encode(new Frame.Auth(new byte[64], new byte[32]),
                Unpooled.buffer().alloc()));
        ch.writeInbound(Unpooled.wrappedBuffer(concat(auth, sealed(sending(KEY_BYTES), new Frame.Has(9, SHARD)))));
        assertInstanceOf(Frame.Auth.class, ch.readInbound());
        assertEquals(9, assertInstanceOf(Frame.Has.class, ch.readInbound()).requestId());
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
