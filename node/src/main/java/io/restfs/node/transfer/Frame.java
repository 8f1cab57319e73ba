package io.restfs.node.transfer;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardSpec;

/**
 * One frame of the shard transfer protocol, decoded. The layout of each is in {@link FrameCodec}.
 * Sealed, so that the set of frames a handler must consider is closed and listed here.
 */
sealed interface Frame {

    /** The request a frame belongs to; 0 for the handshake and for connection-level errors. */
    int requestId();

    /** Handshake, first message each way: who I am and a fresh nonce. */
    record Hello(int protocolVersion, byte[] publicKey, byte[] nonce) implements Frame {
        @Override
        public int requestId() {
            return 0;
        }
    }

    /** Handshake, second message each way: proof of the node key and of the cluster key over the transcript. */
    record Auth(byte[] signature, byte[] mac) implements Frame {
        @Override
        public int requestId() {
            return 0;
        }
    }

    /** Store a shard of {@code length} bytes; DATA frames and an END frame follow, as credit allows. */
    record Put(int requestId, ShardSpec spec, long length) implements Frame {
    }

    /** Send me the shard: answered by {@link ShardFollows}, DATA frames and END, or an ERROR. */
    record Get(int requestId, ShardKey key) implements Frame {
    }

    /** Is the shard stored? Answered by {@link Ok} (flag: present). */
    record Has(int requestId, ShardKey key) implements Frame {
    }

    /** Delete the shard. Answered by {@link Ok} (flag: there was one). */
    record Delete(int requestId, ShardKey key) implements Frame {
    }

    /**
     * A chunk of a shard's bytes (1 to {@link FrameCodec#CHUNK_BYTES}). Reference-counted through its
     * buffer: whoever takes the frame releases it (Netty does, for frames it writes or fails to write).
     */
    record Data(int requestId, ByteBuf chunk) implements Frame, ReferenceCounted {
        @Override
        public int refCnt() {
            return chunk.refCnt();
        }

        @Override
        public Data retain() {
            chunk.retain();
            return this;
        }

        @Override
        public Data retain(int increment) {
            chunk.retain(increment);
            return this;
        }

        @Override
        public Data touch() {
            chunk.touch();
            return this;
        }

        @Override
        public Data touch(Object hint) {
            chunk.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return chunk.release();
        }

        @Override
        public boolean release(int decrement) {
            return chunk.release(decrement);
        }
    }

    /** The stream of DATA frames is complete; the SHA-256 of all of them, as the sender computed it. */
    record End(int requestId, Sha256 sha256) implements Frame {
    }

    /** The receiver of a stream has consumed {@code bytes} more: the sender may send that much more. */
    record Credit(int requestId, int bytes) implements Frame {
    }

    /** The sender gives up on its stream (its source failed); the receiver discards what it has. */
    record Abort(int requestId, String reason) implements Frame {
    }

    /** Success of PUT (flag true), HAS (flag: present) or DELETE (flag: existed). */
    record Ok(int requestId, boolean flag) implements Frame {
    }

    /** The answer to GET: the shard has {@code length} bytes hashing to {@code sha256}; DATA and END follow. */
    record ShardFollows(int requestId, long length, Sha256 sha256) implements Frame {
    }

    /** A refusal or failure of the request (or, with request id 0, of the connection). */
    record Error(int requestId, TransferStatus status, String message) implements Frame {
    }

    /**
     * Not a wire frame: what the decoder makes of bytes it cannot accept. {@code fatal} when the framing
     * itself is lost (a bad length) and the connection must close; otherwise the frame was skipped whole.
     */
    record Malformed(int requestId, String reason, boolean fatal) implements Frame {
    }

    /**
     * Not a wire frame: a frame after the handshake whose tag does not verify (altered, replayed,
     * reordered, injected, or following a dropped one). Always fatal: the decoder reads nothing after it,
     * and nothing of it is acted on.
     *
     * @param sequence the frame's position in its direction after the handshake
     */
    record Unauthenticated(long sequence, String reason) implements Frame {
        @Override
        public int requestId() {
            return 0;
        }
    }
}
