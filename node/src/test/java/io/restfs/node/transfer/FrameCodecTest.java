package io.restfs.node.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;

/** The frame layout pinned by golden bytes (the diagram in {@link FrameCodec}), in memory, without sockets. */
class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static final ShardKey KEY = new ShardKey(seq(0, 32));
    private static final Sha256 SHA = new Sha256(seq(0x20, 32));

    /** Encodes through a real pipeline and returns the bytes that would go on the wire. */
    private static byte[] wire(Frame frame) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Encoder());
        ch.writeOutbound(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    /** Feeds bytes to a decoder and returns the one frame it yields. */
    private static Frame decodeOne(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        Frame f = ch.readInbound();
        assertNull(ch.readInbound(), "exactly one frame");
        ch.finishAndReleaseAll();
        return f;
    }

    @Test
    void hasFrameMatchesGoldenBytes() {
        String golden = "00000025" + "12" + "00000007" + HEX.formatHex(seq(0, 32));
        assertEquals(golden, HEX.formatHex(wire(new Frame.Has(7, KEY))));
        Frame.Has back = (Frame.Has) decodeOne(HEX.parseHex(golden));
        assertEquals(7, back.requestId());
        assertEquals(KEY, back.key());
    }

    @Test
    void putFrameMatchesGoldenBytes() {
        ShardSpec spec = new ShardSpec(KEY, SHA, "s1", 2, 5);
        String golden = "0000005d" + "10" + "00000001" + HEX.formatHex(seq(0, 32)) + HEX.formatHex(seq(0x20, 32))
                + "00000002" + "0000000000000005" + "000000000000000a" + "0002" + "7331";
        assertEquals(golden, HEX.formatHex(wire(new Frame.Put(1, spec, 10))));
        Frame.Put back = (Frame.Put) decodeOne(HEX.parseHex(golden));
        assertEquals(spec, back.spec());
        assertEquals(10, back.length());
    }

    @Test
    void dataCreditEndErrorAndOkFramesMatchGoldenBytes() {
        assertEquals("00000007" + "20" + "00000003" + "aabb",
                HEX.formatHex(wire(new Frame.Data(3, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaa, (byte) 0xbb})))));
        assertEquals("00000009" + "22" + "00000003" + "00010000", HEX.formatHex(wire(new Frame.Credit(3, 65536))));
        assertEquals("00000025" + "21" + "00000003" + HEX.formatHex(seq(0x20, 32)), HEX.formatHex(wire(new Frame.End(3, SHA))));
        assertEquals("00000009" + "3f" + "00000009" + "0001" + "6e6f",
                HEX.formatHex(wire(new Frame.Error(9, TransferStatus.NOT_FOUND, "no"))));
        assertEquals("00000006" + "30" + "00000004" + "01", HEX.formatHex(wire(new Frame.Ok(4, true))));
        assertEquals("0000002d" + "31" + "00000005" + "0000000000000400" + HEX.formatHex(seq(0x20, 32)),
                HEX.formatHex(wire(new Frame.ShardFollows(5, 1024, SHA))));
    }

    @Test
    void handshakeFramesMatchGoldenBytes() {
        byte[] key = seq(0x40, 32);
        byte[] nonce = seq(0x60, 32);
        assertEquals("00000046" + "01" + "00000000" + "01" + HEX.formatHex(key) + HEX.formatHex(nonce),
                HEX.formatHex(wire(new Frame.Hello(1, key, nonce))));
        byte[] sig = seq(0x80, 64);
        byte[] mac = seq(0xc0, 32);
        assertEquals("00000065" + "02" + "00000000" + HEX.formatHex(sig) + HEX.formatHex(mac),
                HEX.formatHex(wire(new Frame.Auth(sig, mac))));
    }

    @Test
    void everyFrameSurvivesARoundTrip() {
        Frame[] frames = {
            new Frame.Hello(1, seq(1, 32), seq(2, 32)),
            new Frame.Auth(seq(3, 64), seq(4, 32)),
            new Frame.Put(11, new ShardSpec(KEY, SHA, "ségment", ShardSpec.UNKNOWN_INDEX, 0), 0),
            new Frame.Get(12, KEY),
            new Frame.Delete(13, KEY),
            new Frame.End(14, SHA),
            new Frame.Credit(15, Integer.MAX_VALUE),
            new Frame.Abort(16, "source failed"),
            new Frame.Ok(17, false),
            new Frame.ShardFollows(18, 0, SHA),
            new Frame.Error(19, TransferStatus.CAPACITY, "full"),
        };
        for (Frame f : frames) {
            Frame back = decodeOne(wire(f));
            assertEquals(HEX.formatHex(wire(f)), HEX.formatHex(wire(back)), "round trip of " + f.getClass().getSimpleName());
        }
        Frame.Data big = (Frame.Data) decodeOne(wire(new Frame.Data(20, Unpooled.wrappedBuffer(seq(0, FrameCodec.CHUNK_BYTES)))));
        assertEquals(FrameCodec.CHUNK_BYTES, big.chunk().readableBytes());
        big.release();
    }

    @Test
    void decodesFramesSplitAcrossReadsByteByByte() {
        byte[] two = concat(wire(new Frame.Has(1, KEY)), wire(new Frame.Ok(2, true)));
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder());
        for (byte b : two) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertInstanceOf(Frame.Has.class, ch.readInbound());
        assertEquals(new Frame.Ok(2, true), ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void oversizedLengthIsFatalAndTheRestOfTheStreamIsIgnored() {
        byte[] oversized = HEX.parseHex(String.format("%08x", FrameCodec.MAX_FRAME_LENGTH + 1) + "20" + "00000001");
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder());
        ch.writeInbound(Unpooled.wrappedBuffer(concat(oversized, wire(new Frame.Has(1, KEY)))));
        Frame.Malformed m = ch.readInbound();
        assertTrue(m.fatal());
        assertTrue(m.reason().contains("frame length"), m.reason());
        ch.writeInbound(Unpooled.wrappedBuffer(wire(new Frame.Has(2, KEY))));
        assertNull(ch.readInbound(), "framing is lost: nothing more is decoded");
        ch.finishAndReleaseAll();
    }

    @Test
    void tooShortLengthIsFatal() {
        Frame.Malformed m = (Frame.Malformed) decodeOne(HEX.parseHex("00000004" + "12000000"));
        assertTrue(m.fatal());
    }

    @Test
    void unknownTypeIsSkippedWholeAndTheNextFrameStillDecodes() {
        byte[] unknown = HEX.parseHex("00000007" + "7e" + "00000005" + "beef");
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Decoder());
        ch.writeInbound(Unpooled.wrappedBuffer(concat(unknown, wire(new Frame.Has(6, KEY)))));
        Frame.Malformed m = ch.readInbound();
        assertFalse(m.fatal());
        assertEquals(5, m.requestId());
        assertTrue(m.reason().contains("unknown frame type 0x7e"), m.reason());
        assertEquals(6, ((Frame.Has) ch.readInbound()).requestId());
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedBodiesBecomeValuesNotExceptions() {
        // HAS with a 31-byte key.
        assertMalformed("00000024" + "12" + "00000001" + HEX.formatHex(seq(0, 31)), "expected 32");
        // A request frame with the handshake's request id 0.
        assertMalformed("00000025" + "11" + "00000000" + HEX.formatHex(seq(0, 32)), "reserved");
        // CREDIT of zero.
        assertMalformed("00000009" + "22" + "00000001" + "00000000", "credit");
        // OK with flag 2.
        assertMalformed("00000006" + "30" + "00000001" + "02", "flag");
        // PUT whose segment id length runs past the body.
        String put = HEX.formatHex(wire(new Frame.Put(1, new ShardSpec(KEY, SHA, "s1", 2, 5), 10)));
        assertMalformed(put.substring(0, put.length() - 8) + "0009" + "7331", "segment id");
        // PUT declaring a shard longer than the store accepts.
        String huge = put.substring(0, 8 + 2 + 8 + 128 + 8 + 16) + "7fffffffffffffff" + put.substring(8 + 2 + 8 + 128 + 8 + 16 + 16);
        assertMalformed(huge, "shard length");
        // ERROR with a message over the limit.
        assertMalformed(String.format("%08x", 5 + 2 + FrameCodec.MAX_MESSAGE_BYTES + 1) + "3f" + "00000001" + "0007"
                + "41".repeat(FrameCodec.MAX_MESSAGE_BYTES + 1), "message");
    }

    private static void assertMalformed(String hex, String reasonPart) {
        Frame f = decodeOne(HEX.parseHex(hex));
        Frame.Malformed m = assertInstanceOf(Frame.Malformed.class, f);
        assertFalse(m.fatal());
        assertTrue(m.reason().contains(reasonPart), m.reason());
    }

    @Test
    void unknownStatusCodeReadsAsInternalAndSaysSo() {
        Frame.Error e = (Frame.Error) decodeOne(HEX.parseHex("00000009" + "3f" + "00000001" + "0999" + "6e6f"));
        assertEquals(TransferStatus.INTERNAL, e.status());
        assertTrue(e.message().contains("unknown status 2457"), e.message());
    }

    @Test
    void longErrorMessagesAreCutAtACharacterBoundary() {
        String message = "é".repeat(FrameCodec.MAX_MESSAGE_BYTES);
        Frame.Error back = (Frame.Error) decodeOne(wire(new Frame.Error(1, TransferStatus.INTERNAL, message)));
        assertTrue(back.message().length() > 0 && message.startsWith(back.message()));
        assertTrue(back.message().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= FrameCodec.MAX_MESSAGE_BYTES);
    }

    @Test
    void handshakeFrameWithARequestIdIsMalformed() {
        String hello = HEX.formatHex(wire(new Frame.Hello(1, seq(1, 32), seq(2, 32))));
        assertMalformed(hello.substring(0, 10) + "00000001" + hello.substring(18), "request id 0");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void dataChunkIsNotCopiedOnTheWayOut() {
        ByteBuf chunk = Unpooled.wrappedBuffer(seq(0, 100));
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec.Encoder());
        ch.writeOutbound(new Frame.Data(1, chunk));
        ByteBuf header = ch.readOutbound();
        ByteBuf body = ch.readOutbound();
        assertEquals(9, header.readableBytes());
        assertTrue(body == chunk || body.unwrap() == chunk, "the chunk itself goes out behind its header");
        assertArrayEquals(seq(0, 100), ByteBufUtil.getBytes(body));
        header.release();
        body.release();
        assertEquals(0, chunk.refCnt(), "the chunk is released once written");
        ch.finishAndReleaseAll();
    }
}
