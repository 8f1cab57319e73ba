package io.restfs.node.transfer;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.crypto.Ed25519;

/**
 * The byte layout of shard transfer frames (protocol version 2), and the Netty encoder and decoder for
 * it. The codec knows layouts, sizes and tags, nothing about handshakes or stores.
 *
 * <pre>
 *  handshake (HELLO, AUTH, and an ERROR refusing the handshake): untagged
 *  0               4       5               9
 *  +---------------+-------+---------------+------------------------------+
 *  | length (u32)  | type  | request (u32) | body (length - 5 bytes)      |
 *  +---------------+-------+---------------+------------------------------+
 *
 *  every frame after the handshake, both ways: tagged
 *  0               4       5               9                25
 *  +---------------+-------+---------------+----------------+-------------------------------+
 *  | length (u32)  | type  | request (u32) | tag (16 bytes) | body (length - 21 bytes)      |
 *  +---------------+-------+---------------+----------------+-------------------------------+
 *  tag = HMAC-SHA256(direction's session key, sequence u64 | length | type | request | body)[0..16],
 *  sequence = the frame's position in its direction after the handshake, from 0, never sent; a DATA
 *  frame's tag leaves out its body, which the shard's SHA-256 binds (see {@link SessionMac}).
 *
 *  length counts type + request id (+ tag) + body: 5 .. {@link #MAX_FRAME_LENGTH}. All integers big-endian.
 *
 *  type  name     request id  body
 *  0x01  HELLO    0           version u8 | Ed25519 public key (32) | nonce (32)
 *  0x02  AUTH     0           Ed25519 signature (64) | HMAC-SHA256 (32)
 *  0x10  PUT      client's    key (32) | sha256 (32) | shard index i32 | version i64 | length i64
 *                             | segment id length u16 | segment id (UTF-8, at most 256)
 *  0x11  GET      client's    key (32)
 *  0x12  HAS      client's    key (32)
 *  0x13  DELETE   client's    key (32)
 *  0x20  DATA     stream's    1 .. {@link #CHUNK_BYTES} bytes of the shard
 *  0x21  END      stream's    sha256 (32) of all DATA bytes, as the sender computed it
 *  0x22  CREDIT   stream's    bytes u32 (1 .. 2^31-1): the receiver consumed that much more
 *  0x23  ABORT    stream's    reason (UTF-8, at most {@link #MAX_MESSAGE_BYTES})
 *  0x30  OK       request's   flag u8 (0 or 1)
 *  0x31  SHARD    request's   length i64 | sha256 (32)
 *  0x3F  ERROR    request's   status u16 ({@link TransferStatus#code()}) | message (UTF-8, at most
 *                 or 0        {@link #MAX_MESSAGE_BYTES})
 * </pre>
 *
 * <p>A bad length loses the framing: the decoder yields a fatal {@link Frame.Malformed} and ignores
 * the rest of the connection's bytes. A frame with a good length but an unknown type or a malformed
 * body is skipped whole and yields a non-fatal one, so the connection can answer with an ERROR and go on.
 */
final class FrameCodec {

    /**
     * DATA chunk size: 64 KiB, the codec's AES-GCM record size and the shard store's I/O buffer
     * (DESIGN.md), so a chunk maps to one store write and no frame needs a larger buffer.
     */
    static final int CHUNK_BYTES = 64 * 1024;

    /**
     * Bytes a stream's sender may have sent beyond what the receiver has credited back (CREDIT frames),
     * per stream, both ways. Four chunks keep a 1 Gbit/s link with a 1 ms round trip (125 KB in flight)
     * busy, while streams x window bounds what a connection can make its receiver buffer
     * (16 x 256 KiB = 4 MiB at the default stream limit).
     */
    static final int STREAM_WINDOW = 4 * CHUNK_BYTES;

    /** Bytes of type and request id that the length counts before the body. */
    static final int HEADER_AFTER_LENGTH = 1 + 4;

    /**
     * Largest length field accepted: a full DATA chunk plus type, request id and tag. Every other frame is
     * far smaller (the largest, PUT, is 86 bytes plus a segment id of at most 256), so nothing legitimate
     * is refused, and a peer can make the decoder buffer at most this much for one frame.
     */
    static final int MAX_FRAME_LENGTH = HEADER_AFTER_LENGTH + SessionMac.TAG_BYTES + CHUNK_BYTES;

    /** Longest ERROR or ABORT message, in UTF-8 bytes: a few lines for a log, never a dump. */
    static final int MAX_MESSAGE_BYTES = 1024;

    /** The handshake nonce: 32 random bytes, as many as the keys, so a transcript never repeats. */
    static final int NONCE_BYTES = 32;

    /** HMAC-SHA256 output. */
    static final int MAC_BYTES = 32;

    static final byte HELLO = 0x01;
    static final byte AUTH = 0x02;
    static final byte PUT = 0x10;
    static final byte GET = 0x11;
    static final byte HAS = 0x12;
    static final byte DELETE = 0x13;
    static final byte DATA = 0x20;
    static final byte END = 0x21;
    static final byte CREDIT = 0x22;
    static final byte ABORT = 0x23;
    static final byte OK = 0x30;
    static final byte SHARD = 0x31;
    static final byte ERROR = 0x3F;

    private static final int PUT_FIXED_BODY = ShardKey.LENGTH + Sha256.LENGTH + 4 + 8 + 8 + 2;

    private FrameCodec() {
    }

    /** Encodes {@code frame} into one buffer (header and body), untagged, as in the handshake. */
    static ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        return encode(frame, alloc, null);
    }

    /**
     * Encodes {@code frame} into one buffer (header, tag and body), tagged under {@code session} when it
     * seals (after the handshake); a DATA frame's chunk is copied.
     */
    static ByteBuf encode(Frame frame, ByteBufAllocator alloc, SessionMac session) {
        ByteBuf out = alloc.buffer();
        try {
            boolean sealed = session != null && session.sealing();
            writeHeaderAndBody(frame, out, sealed);
            if (sealed) {
                session.seal(out, 0);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static void writeHeaderAndBody(Frame frame, ByteBuf out, boolean sealed) {
        int start = out.writerIndex();
        out.writeInt(0); // length, patched below
        if (frame instanceof Frame.Hello h) {
            header(out, HELLO, 0, sealed);
            out.writeByte(h.protocolVersion());
            out.writeBytes(exact(h.publicKey(), Ed25519.PUBLIC_KEY_BYTES, "public key"));
            out.writeBytes(exact(h.nonce(), NONCE_BYTES, "nonce"));
        } else if (frame instanceof Frame.Auth a) {
            header(out, AUTH, 0, sealed);
            out.writeBytes(exact(a.signature(), Ed25519.SIGNATURE_BYTES, "signature"));
            out.writeBytes(exact(a.mac(), MAC_BYTES, "mac"));
        } else if (frame instanceof Frame.Put p) {
            header(out, PUT, p.requestId(), sealed);
            ShardSpec s = p.spec();
            out.writeBytes(s.key().bytes());
            out.writeBytes(s.sha256().bytes());
            out.writeInt(s.shardIndex());
            out.writeLong(s.version());
            out.writeLong(p.length());
            byte[] seg = s.segmentId().getBytes(StandardCharsets.UTF_8);
            out.writeShort(seg.length);
            out.writeBytes(seg);
        } else if (frame instanceof Frame.Get g) {
            header(out, GET, g.requestId(), sealed);
            out.writeBytes(g.key().bytes());
        } else if (frame instanceof Frame.Has h) {
            header(out, HAS, h.requestId(), sealed);
            out.writeBytes(h.key().bytes());
        } else if (frame instanceof Frame.Delete d) {
            header(out, DELETE, d.requestId(), sealed);
            out.writeBytes(d.key().bytes());
        } else if (frame instanceof Frame.Data d) {
            int n = d.chunk().readableBytes();
            if (n < 1 || n > CHUNK_BYTES) {
                throw new IllegalArgumentException("DATA chunk must be 1.." + CHUNK_BYTES + " bytes: " + n);
            }
            header(out, DATA, d.requestId(), sealed);
            out.writeBytes(d.chunk(), d.chunk().readerIndex(), n);
        } else if (frame instanceof Frame.End e) {
            header(out, END, e.requestId(), sealed);
            out.writeBytes(e.sha256().bytes());
        } else if (frame instanceof Frame.Credit c) {
            if (c.bytes() <= 0) {
                throw new IllegalArgumentException("credit must be > 0: " + c.bytes());
            }
            header(out, CREDIT, c.requestId(), sealed);
            out.writeInt(c.bytes());
        } else if (frame instanceof Frame.Abort a) {
            header(out, ABORT, a.requestId(), sealed);
            out.writeBytes(truncatedUtf8(a.reason()));
        } else if (frame instanceof Frame.Ok o) {
            header(out, OK, o.requestId(), sealed);
            out.writeByte(o.flag() ? 1 : 0);
        } else if (frame instanceof Frame.ShardFollows s) {
            header(out, SHARD, s.requestId(), sealed);
            out.writeLong(s.length());
            out.writeBytes(s.sha256().bytes());
        } else if (frame instanceof Frame.Error e) {
            header(out, ERROR, e.requestId(), sealed);
            out.writeShort(e.status().code());
            out.writeBytes(truncatedUtf8(e.message()));
        } else if (frame instanceof Frame.Malformed || frame instanceof Frame.Unauthenticated) {
            throw new IllegalArgumentException("a decoder's verdict is not a wire frame: " + frame);
        } else {
            throw new IllegalArgumentException("unknown frame " + frame);
        }
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /**
     * Writes the header (and the tag, when {@code session} seals) of a DATA frame whose {@code chunkBytes}
     * follow in a separate buffer; the tag covers the header only (see {@link SessionMac}).
     */
    static ByteBuf dataHeader(ByteBufAllocator alloc, int requestId, int chunkBytes, SessionMac session) {
        if (chunkBytes < 1 || chunkBytes > CHUNK_BYTES) {
            throw new IllegalArgumentException("DATA chunk must be 1.." + CHUNK_BYTES + " bytes: " + chunkBytes);
        }
        boolean sealed = session != null && session.sealing();
        int tag = sealed ? SessionMac.TAG_BYTES : 0;
        ByteBuf out = alloc.buffer(4 + HEADER_AFTER_LENGTH + tag);
        out.writeInt(HEADER_AFTER_LENGTH + tag + chunkBytes);
        header(out, DATA, requestId, sealed);
        if (sealed) {
            session.seal(out, 0);
        }
        return out;
    }

    /** Type and request id, then room for the tag that {@link SessionMac#seal} writes once the body is in. */
    private static void header(ByteBuf out, byte type, int requestId, boolean sealed) {
        out.writeByte(type);
        out.writeInt(requestId);
        if (sealed) {
            out.writeZero(SessionMac.TAG_BYTES);
        }
    }

    private static byte[] exact(byte[] b, int length, String what) {
        if (b == null || b.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes");
        }
        return b;
    }

    /** {@code s} in UTF-8, cut (at a character boundary) to {@link #MAX_MESSAGE_BYTES}. */
    static byte[] truncatedUtf8(String s) {
        String text = s == null ? "" : s;
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int cut = text.length();
        while (b.length > MAX_MESSAGE_BYTES) {
            cut = Math.min(cut - 1, cut * MAX_MESSAGE_BYTES / b.length);
            if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            b = text.substring(0, cut).getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    /**
     * Decodes one untagged frame (the handshake's) whose length field (already read) said {@code length};
     * {@code in} holds at least that many readable bytes, all of which this consumes. Never throws for bad bytes.
     */
    static Frame decodeBody(ByteBuf in, int length) {
        return decodeBody(in, length, null);
    }

    /**
     * As {@link #decodeBody(ByteBuf, int)}, but once {@code session} opens (after the handshake) the frame
     * must carry its tag: one that does not is {@link Frame.Unauthenticated}, and nothing of it is decoded.
     */
    static Frame decodeBody(ByteBuf in, int length, SessionMac session) {
        int start = in.readerIndex();
        int end = start + length;
        boolean sealed = session != null && session.opening();
        if (sealed) {
            long sequence = session.framesOpened();
            if (length < HEADER_AFTER_LENGTH + SessionMac.TAG_BYTES || !session.open(in, start, length)) {
                in.readerIndex(end);
                return new Frame.Unauthenticated(sequence, String.format("frame %d after the handshake (type 0x%02x, "
                        + "request %d, %d bytes) does not carry its tag", sequence, in.getByte(start),
                        in.getInt(start + 1), length));
            }
        }
        byte type = in.readByte();
        int requestId = in.readInt();
        int bodyLength = length - HEADER_AFTER_LENGTH;
        if (sealed) {
            in.skipBytes(SessionMac.TAG_BYTES);
            bodyLength -= SessionMac.TAG_BYTES;
        }
        try {
            Frame f = decode(type, requestId, in, bodyLength);
            if (in.readerIndex() != end && !(f instanceof Frame.Malformed)) {
                if (f instanceof Frame.Data d) {
                    d.chunk().release();
                }
                f = new Frame.Malformed(requestId, String.format("frame type 0x%02x has %d trailing bytes",
                        type, end - in.readerIndex()), false);
            }
            return f;
        } catch (IllegalArgumentException e) {
            return new Frame.Malformed(requestId, String.format("frame type 0x%02x: %s", type, e.getMessage()), false);
        } finally {
            in.readerIndex(end);
        }
    }

    private static Frame decode(byte type, int requestId, ByteBuf in, int bodyLength) {
        switch (type) {
            case HELLO -> {
                requireBody(type, bodyLength, 1 + Ed25519.PUBLIC_KEY_BYTES + NONCE_BYTES);
                requireConnectionLevel(type, requestId);
                int version = in.readUnsignedByte();
                return new Frame.Hello(version, bytes(in, Ed25519.PUBLIC_KEY_BYTES), bytes(in, NONCE_BYTES));
            }
            case AUTH -> {
                requireBody(type, bodyLength, Ed25519.SIGNATURE_BYTES + MAC_BYTES);
                requireConnectionLevel(type, requestId);
                return new Frame.Auth(bytes(in, Ed25519.SIGNATURE_BYTES), bytes(in, MAC_BYTES));
            }
            case PUT -> {
                requireRequestId(type, requestId);
                if (bodyLength < PUT_FIXED_BODY) {
                    throw new IllegalArgumentException("PUT body is " + bodyLength + " bytes, at least " + PUT_FIXED_BODY);
                }
                ShardKey key = new ShardKey(bytes(in, ShardKey.LENGTH));
                Sha256 sha = new Sha256(bytes(in, Sha256.LENGTH));
                int index = in.readInt();
                long version = in.readLong();
                long length = in.readLong();
                int segLength = in.readUnsignedShort();
                if (segLength > ShardSpec.MAX_SEGMENT_ID_BYTES || PUT_FIXED_BODY + segLength != bodyLength) {
                    throw new IllegalArgumentException("PUT segment id of " + segLength + " bytes in a body of " + bodyLength);
                }
                if (length < 0 || length > ShardStore.MAX_SHARD_BYTES) {
                    throw new IllegalArgumentException("shard length must be in [0, " + ShardStore.MAX_SHARD_BYTES + "]: " + length);
                }
                String segmentId = strictUtf8(bytes(in, segLength));
                return new Frame.Put(requestId, new ShardSpec(key, sha, segmentId, index, version), length);
            }
            case GET, HAS, DELETE -> {
                requireRequestId(type, requestId);
                requireBody(type, bodyLength, ShardKey.LENGTH);
                ShardKey key = new ShardKey(bytes(in, ShardKey.LENGTH));
                return switch (type) {
                    case GET -> new Frame.Get(requestId, key);
                    case HAS -> new Frame.Has(requestId, key);
                    default -> new Frame.Delete(requestId, key);
                };
            }
            case DATA -> {
                requireRequestId(type, requestId);
                if (bodyLength < 1) {
                    throw new IllegalArgumentException("empty DATA frame");
                }
                return new Frame.Data(requestId, in.readRetainedSlice(bodyLength));
            }
            case END -> {
                requireRequestId(type, requestId);
                requireBody(type, bodyLength, Sha256.LENGTH);
                return new Frame.End(requestId, new Sha256(bytes(in, Sha256.LENGTH)));
            }
            case CREDIT -> {
                requireRequestId(type, requestId);
                requireBody(type, bodyLength, 4);
                int credit = in.readInt();
                if (credit <= 0) {
                    throw new IllegalArgumentException("credit must be in 1..2^31-1: " + Integer.toUnsignedString(credit));
                }
                return new Frame.Credit(requestId, credit);
            }
            case ABORT -> {
                requireRequestId(type, requestId);
                requireMessage(type, bodyLength);
                return new Frame.Abort(requestId, lenientUtf8(in, bodyLength));
            }
            case OK -> {
                requireRequestId(type, requestId);
                requireBody(type, bodyLength, 1);
                int flag = in.readUnsignedByte();
                if (flag > 1) {
                    throw new IllegalArgumentException("OK flag must be 0 or 1: " + flag);
                }
                return new Frame.Ok(requestId, flag == 1);
            }
            case SHARD -> {
                requireRequestId(type, requestId);
                requireBody(type, bodyLength, 8 + Sha256.LENGTH);
                long length = in.readLong();
                if (length < 0 || length > ShardStore.MAX_SHARD_BYTES) {
                    throw new IllegalArgumentException("shard length must be in [0, " + ShardStore.MAX_SHARD_BYTES + "]: " + length);
                }
                return new Frame.ShardFollows(requestId, length, new Sha256(bytes(in, Sha256.LENGTH)));
            }
            case ERROR -> {
                if (bodyLength < 2) {
                    throw new IllegalArgumentException("ERROR body is " + bodyLength + " bytes, at least 2");
                }
                requireMessage(type, bodyLength - 2);
                int code = in.readUnsignedShort();
                // An unknown code from a newer peer still fails the request; INTERNAL is the honest reading.
                TransferStatus status = TransferStatus.fromCode(code).orElse(TransferStatus.INTERNAL);
                String message = lenientUtf8(in, bodyLength - 2);
                return new Frame.Error(requestId, status,
                        TransferStatus.fromCode(code).isPresent() ? message : "unknown status " + code + ": " + message);
            }
            default -> {
                return new Frame.Malformed(requestId, String.format("unknown frame type 0x%02x", type), false);
            }
        }
    }

    private static void requireBody(byte type, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(String.format("body is %d bytes, expected %d", actual, expected));
        }
    }

    private static void requireMessage(byte type, int length) {
        if (length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message is " + length + " bytes, limit " + MAX_MESSAGE_BYTES);
        }
    }

    private static void requireRequestId(byte type, int requestId) {
        if (requestId == 0) {
            throw new IllegalArgumentException("request id 0 is reserved for the handshake");
        }
    }

    private static void requireConnectionLevel(byte type, int requestId) {
        if (requestId != 0) {
            throw new IllegalArgumentException("handshake frames carry request id 0, not " + requestId);
        }
    }

    private static byte[] bytes(ByteBuf in, int n) {
        byte[] b = new byte[n];
        in.readBytes(b);
        return b;
    }

    private static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("segment id is not valid UTF-8");
        }
    }

    /** Messages are for logs: bad bytes become replacement characters rather than a refusal. */
    private static String lenientUtf8(ByteBuf in, int n) {
        String s = in.toString(in.readerIndex(), n, StandardCharsets.UTF_8);
        in.skipBytes(n);
        return s;
    }

    /**
     * Splits the byte stream into frames and checks their tags once the session opens. One per
     * connection: it keeps the partial frame between reads.
     */
    static final class Decoder extends ByteToMessageDecoder {
        private final SessionMac session;
        private boolean broken;

        /** A decoder of untagged frames only (codec tests). */
        Decoder() {
            this(new SessionMac());
        }

        Decoder(SessionMac session) {
            this.session = session;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (broken) {
                in.skipBytes(in.readableBytes());
                return;
            }
            while (in.readableBytes() >= 4) {
                long length = in.getUnsignedInt(in.readerIndex());
                if (length < HEADER_AFTER_LENGTH || length > MAX_FRAME_LENGTH) {
                    broken = true;
                    in.skipBytes(in.readableBytes());
                    out.add(new Frame.Malformed(0, "frame length " + length + " outside " + HEADER_AFTER_LENGTH
                            + ".." + MAX_FRAME_LENGTH, true));
                    return;
                }
                if (in.readableBytes() < 4 + length) {
                    return;
                }
                in.skipBytes(4);
                Frame frame = decodeBody(in, (int) length, session);
                out.add(frame);
                if (frame instanceof Frame.Unauthenticated) {
                    broken = true;
                    in.skipBytes(in.readableBytes());
                    return;
                }
                if (!session.opening()) {
                    // Handshake: the handler must see this frame (and start the session after AUTH)
                    // before the next is read, which may already be tagged.
                    return;
                }
            }
        }
    }

    /**
     * Writes frames, tagged once the session seals; a DATA frame's chunk goes out as its own buffer
     * behind a small header, uncopied. One per connection: frames are tagged in the order they are
     * written, which is the order they go on the wire (Netty writes on the channel's event loop).
     */
    static final class Encoder extends MessageToMessageEncoder<Frame> {
        private final SessionMac session;

        /** An encoder of untagged frames only (codec tests). */
        Encoder() {
            this(new SessionMac());
        }

        Encoder(SessionMac session) {
            super(Frame.class);
            this.session = session;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
            if (frame instanceof Frame.Data d) {
                out.add(dataHeader(ctx.alloc(), d.requestId(), d.chunk().readableBytes(), session));
                // The encoder base class releases the frame after this returns; the chunk must outlive it.
                out.add(d.chunk().retain());
            } else {
                out.add(FrameCodec.encode(frame, ctx.alloc(), session));
            }
        }
    }
}
