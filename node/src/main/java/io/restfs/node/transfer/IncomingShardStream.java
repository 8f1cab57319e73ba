package io.restfs.node.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;

/**
 * The pipe between the event loop, which receives a PUT's DATA frames, and the store thread, which
 * reads them through {@code ShardStore.put(spec, in, length)}: the shard never sits whole in memory.
 *
 * <p>The pipe holds at most {@code window} bytes: the sender may only send as much as it has been
 * credited, and each chunk the store consumes is credited back through {@code onConsumed}. So the
 * event loop never blocks and never has to stop reading the connection (which would stall the other
 * streams on it), and memory per stream is bounded by the window.
 */
final class IncomingShardStream extends InputStream {

    private final int window;
    private final long stallTimeoutNanos;
    private final IntConsumer onConsumed;

    // Guarded by this.
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private int buffered;
    private int uncredited;
    private boolean ended;
    private StreamAbortedException abort;

    /**
     * @param window       bytes the sender may have outstanding
     * @param stallTimeout how long a read waits for the next chunk before the stream is given up
     * @param onConsumed   called (on the reading thread, outside the lock) with each chunk's size once read
     */
    IncomingShardStream(int window, long stallTimeoutNanos, IntConsumer onConsumed) {
        this.window = window;
        this.stallTimeoutNanos = stallTimeoutNanos;
        this.onConsumed = onConsumed;
    }

    /**
     * Queues a chunk, taking ownership of it. False if it would overrun the window (the sender ignored
     * its credit): the chunk is released and the caller aborts the stream.
     */
    synchronized boolean offer(ByteBuf chunk) {
        if (ended || abort != null) {
            chunk.release();
            return true;
        }
        if (buffered + chunk.readableBytes() > window) {
            chunk.release();
            return false;
        }
        chunks.add(chunk);
        buffered += chunk.readableBytes();
        notifyAll();
        return true;
    }

    /** No more chunks: once the queued ones are read, reads return end of stream. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /**
     * Cuts the stream short: queued chunks are dropped and the reader's next read throws, so the store
     * abandons the write. Ignored once the stream has ended whole (the store may finish it).
     */
    synchronized void abort(TransferStatus status, String message) {
        if (ended || abort != null) {
            return;
        }
        abort = new StreamAbortedException(status, message);
        releaseAll();
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        int consumedChunk = 0;
        synchronized (this) {
            long deadline = System.nanoTime() + stallTimeoutNanos;
            while (chunks.isEmpty() && !ended && abort == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abort = new StreamAbortedException(TransferStatus.BAD_REQUEST,
                            "no data for " + TimeUnit.NANOSECONDS.toSeconds(stallTimeoutNanos) + " s; stream given up");
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for shard data");
                }
            }
            if (abort != null) {
                throw abort;
            }
            ByteBuf head = chunks.peek();
            if (head == null) {
                return -1;
            }
            n = Math.min(len, head.readableBytes());
            head.readBytes(b, off, n);
            buffered -= n;
            uncredited += n;
            if (!head.isReadable()) {
                consumedChunk = uncredited;
                uncredited = 0;
                chunks.poll().release();
            }
        }
        if (consumedChunk > 0) {
            onConsumed.accept(consumedChunk);
        }
        return n;
    }

    /** Releases whatever is still queued; the store is done with the stream. */
    @Override
    public synchronized void close() {
        if (abort == null && !ended) {
            abort = new StreamAbortedException(TransferStatus.INTERNAL, "stream closed by the server");
        }
        releaseAll();
    }

    private void releaseAll() {
        for (ByteBuf c; (c = chunks.poll()) != null; ) {
            c.release();
        }
        buffered = 0;
    }
}
