package io.restfs.node.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

import io.restfs.blockstore.store.ShardStore;

/**
 * Where a whole-shard GET collects its bytes: once the peer announces the shard's length, an array of exactly
 * that size, filled straight from the network buffers and handed out without a copy (a growing
 * ByteArrayOutputStream copied each shard three times more). Used by one download on one thread at a time.
 */
final class ShardBuffer extends OutputStream {
    private byte[] bytes = new byte[0];
    private int filled;

    /** The announced length; false when it cannot be a shard. */
    boolean expect(long length) {
        if (length < 0 || length > ShardStore.MAX_SHARD_BYTES) {
            return false;
        }
        bytes = new byte[(int) length];
        filled = 0;
        return true;
    }

    /** Moves {@code n} bytes of {@code chunk} into the array. */
    void take(ByteBuf chunk, int n) {
        ensure(n);
        chunk.readBytes(bytes, filled, n);
        filled += n;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, filled, len);
        filled += len;
    }

    private void ensure(int more) {
        if (filled + more > bytes.length) {
            // Only without an announced length (or past it, which the download refuses as a protocol error).
            bytes = Arrays.copyOf(bytes, Math.max(filled + more, 2 * bytes.length));
        }
    }

    /** The bytes received: the array itself when it was filled exactly. */
    byte[] bytes() {
        return filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled);
    }

    @Override
    public void close() throws IOException {
        // Nothing to release.
    }
}
