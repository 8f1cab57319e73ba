package io.restfs.node.transfer;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;

/**
 * The authentication of one connection's frames after the handshake: a session key and a frame count
 * for each direction (keys from {@link Handshake#sessionKeys}). Each frame carries a tag, the first
 * {@link #TAG_BYTES} bytes of HMAC-SHA256 under its direction's key over
 * {@code sequence u64 | length u32 | type u8 | request id u32 | body}, where the sequence is the
 * frame's position in its direction (0 for the first frame after the handshake) and never on the wire.
 *
 * <p>A DATA frame's tag covers its header but not its chunk: the chunk is bound instead by the shard's
 * SHA-256, which travels in the PUT or SHARD frame (tagged in full) and which the receiver checks the
 * whole stream against before it stores the shard (PUT) or hands it out (GET). MACing the header alone
 * costs the same per 64 KiB chunk as per control frame, about a microsecond, where a MAC over the
 * chunk would hash every shard byte twice more on a path that already hashes it once (README).
 *
 * <p>Because the sequence is implicit, a replayed, reordered, dropped (followed by any other frame) or
 * injected frame fails the next check; the connection is then closed and nothing after it is read.
 * Used on the channel's event loop only: the encoder seals, the decoder opens.
 */
final class SessionMac {

    /** Tag length: HMAC-SHA256 cut to 128 bits (RFC 4868's truncation; AES-GCM's tag size). */
    static final int TAG_BYTES = 16;

    private Direction sending;
    private Direction receiving;

    /** Frames sent from now on are tagged under {@code key}. */
    void startSending(byte[] key) {
        sending = new Direction(key);
    }

    /** Frames received from now on must carry tags under {@code key}. */
    void startReceiving(byte[] key) {
        receiving = new Direction(key);
    }

    boolean sealing() {
        return sending != null;
    }

    boolean opening() {
        return receiving != null;
    }

    /** Frames received and checked so far: the sequence number the next one must have. */
    long framesOpened() {
        return receiving == null ? 0 : receiving.sequence;
    }

    /**
     * Writes the tag of the sealed frame at {@code start} (its length field) in {@code frame}: the
     * header, the {@link #TAG_BYTES} reserved behind it, and (but for DATA) the whole body.
     */
    void seal(ByteBuf frame, int start) {
        int length = frame.getInt(start);
        byte[] tag = sending.tag(frame, start + 4, length);
        frame.setBytes(start + 4 + FrameCodec.HEADER_AFTER_LENGTH, tag, 0, TAG_BYTES);
    }

    /**
     * Whether the sealed frame of {@code length} bytes (the length field's value) starting at
     * {@code typeIndex} (just after its length field) carries the tag it must at the next sequence
     * number, which this uses up either way (after a failure the connection is closed).
     */
    boolean open(ByteBuf in, int typeIndex, int length) {
        byte[] expected = receiving.tag(in, typeIndex, length);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= expected[i] ^ in.getByte(typeIndex + FrameCodec.HEADER_AFTER_LENGTH + i);
        }
        return diff == 0;
    }

    /** One direction's key and count. */
    private static final class Direction {
        /** Sequence, length, type and request id: what every tag covers, gathered for one MAC update. */
        private static final int PREFIX_BYTES = 8 + 4 + FrameCodec.HEADER_AFTER_LENGTH;

        private final Mac mac;
        private final byte[] prefix = new byte[PREFIX_BYTES];
        /** Bodies are fed to the MAC through this, a piece at a time: byte arrays keep the path short. */
        private final byte[] piece = new byte[512];
        private final byte[] out = new byte[32];
        private long sequence;

        Direction(byte[] key) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK provides HmacSHA256", e);
            }
        }

        /** The tag of the frame whose type byte is at {@code typeIndex}; counts the frame. */
        byte[] tag(ByteBuf buf, int typeIndex, int length) {
            long seq = sequence++;
            for (int i = 0; i < 8; i++) {
                prefix[i] = (byte) (seq >>> (56 - 8 * i));
            }
            prefix[8] = (byte) (length >>> 24);
            prefix[9] = (byte) (length >>> 16);
            prefix[10] = (byte) (length >>> 8);
            prefix[11] = (byte) length;
            buf.getBytes(typeIndex, prefix, 12, FrameCodec.HEADER_AFTER_LENGTH);
            mac.update(prefix);
            if (prefix[12] != FrameCodec.DATA) {
                int at = typeIndex + FrameCodec.HEADER_AFTER_LENGTH + TAG_BYTES;
                int end = typeIndex + length;
                while (at < end) {
                    int n = Math.min(piece.length, end - at);
                    buf.getBytes(at, piece, 0, n);
                    mac.update(piece, 0, n);
                    at += n;
                }
            }
            try {
                mac.doFinal(out, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException("HmacSHA256 writes 32 bytes", e);
            }
            return out;
        }
    }
}
