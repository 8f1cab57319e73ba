package io.restfs.blockstore.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Encodes and decodes whole objects: cuts an object into policy-sized segments and runs them through a
 * {@link SegmentCodec} concurrently on an executor the caller owns, delivering results in segment
 * order. At most {@code window} segments are in flight, which bounds memory for objects of any size;
 * a window of twice the executor's threads keeps them all busy while the caller consumes results.
 *
 * <p>An empty object has no segments. The first failure of any segment is rethrown as it was thrown
 * (a {@link SegmentDecodeException}, for instance) after the segments already in flight finish.
 */
public final class ObjectCodec {
    private final SegmentCodec codec;
    private final Executor executor;
    private final int window;

    public ObjectCodec(SegmentCodec codec, Executor executor, int window) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1 segment, got " + window);
        }
        this.window = window;
    }

    /**
     * Encodes {@code object} (no copy is made), giving segment i the id {@code ids.get()} called
     * in segment order on the calling thread.
     */
    public List<EncodedSegment> encode(byte[] object, CodecPolicy policy, BucketKey key, Supplier<SegmentId> ids) {
        List<EncodedSegment> out = new ArrayList<>(segmentCount(object.length, policy));
        encode(object, policy, key, ids, out::add);
        return out;
    }

    /**
     * Encodes {@code object} (no copy is made), handing each segment to {@code sink} in order on the
     * calling thread as soon as it and those before it are done, so the caller can ship and drop them.
     */
    public void encode(byte[] object, CodecPolicy policy, BucketKey key, Supplier<SegmentId> ids,
            Consumer<EncodedSegment> sink) {
        int size = policy.segmentSize();
        Window<EncodedSegment> w = new Window<>(sink);
        for (int off = 0; off < object.length; off += size) {
            int start = off;
            int len = Math.min(size, object.length - off);
            SegmentId id = Objects.requireNonNull(ids.get(), "segment id");
            w.submit(() -> codec.encode(policy, id, key, object, start, len));
        }
        w.drain();
    }

    /**
     * Reads {@code in} to its end, encoding each segment as soon as it is read and handing the results
     * to {@code sink} in order, on the calling thread.
     *
     * @return the number of bytes read
     */
    public long encode(InputStream in, CodecPolicy policy, BucketKey key, Supplier<SegmentId> ids,
            Consumer<EncodedSegment> sink) throws IOException {
        Window<EncodedSegment> w = new Window<>(sink);
        long total = 0;
        int size = policy.segmentSize();
        for (boolean first = true; ; first = false) {
            // After a full first segment the stream is large: later segments are read into one array of the
            // segment's size. readNBytes(int) gathers 8 KiB pieces and copies them into its result, twice the
            // garbage per segment (young collections, promotions); it stays for the first, so that a small
            // object does not cost a segment-sized array.
            byte[] buf = first ? in.readNBytes(size) : new byte[size];
            int n = first ? buf.length : fill(in, buf);
            if (n == 0) {
                break;
            }
            total += n;
            SegmentId id = Objects.requireNonNull(ids.get(), "segment id");
            w.submit(() -> codec.encode(policy, id, key, buf, 0, n));
            if (n < size) {
                break;
            }
        }
        w.drain();
        return total;
    }

    /** Reads until {@code buf} is full or the stream ends; the bytes read. */
    private static int fill(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    /** Decodes segments concurrently and writes their plaintext to {@code out} in order. */
    public void decode(Iterable<SegmentShards> segments, BucketKey key, OutputStream out) throws IOException {
        Window<byte[]> w = new Window<>(bytes -> {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            Iterator<SegmentShards> it = segments.iterator();
            while (it.hasNext()) {
                SegmentShards s = it.next();
                w.submit(() -> codec.decode(s.id(), key, s.shards(), s.manifestHashes()));
            }
            w.drain();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Decodes segments concurrently into one array. */
    public byte[] decode(List<SegmentShards> segments, BucketKey key) {
        List<byte[]> parts = new ArrayList<>(segments.size());
        Window<byte[]> w = new Window<>(parts::add);
        for (SegmentShards s : segments) {
            w.submit(() -> codec.decode(s.id(), key, s.shards(), s.manifestHashes()));
        }
        w.drain();
        long total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("object of " + total + " bytes does not fit one array; decode to a stream");
        }
        byte[] out = new byte[(int) total];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    public static int segmentCount(long objectLength, CodecPolicy policy) {
        return Math.toIntExact((objectLength + policy.segmentSize() - 1) / policy.segmentSize());
    }

    /** In-order delivery of at most {@code window} concurrent tasks. */
    private final class Window<T> {
        private final ArrayDeque<CompletableFuture<T>> inFlight = new ArrayDeque<>();
        private final Consumer<T> sink;

        Window(Consumer<T> sink) {
            this.sink = sink;
        }

        void submit(Supplier<T> task) {
            if (inFlight.size() >= window) {
                deliverHead();
            }
            inFlight.add(CompletableFuture.supplyAsync(task, executor));
        }

        void drain() {
            while (!inFlight.isEmpty()) {
                deliverHead();
            }
        }

        private void deliverHead() {
            CompletableFuture<T> head = inFlight.poll();
            T value;
            try {
                value = head.join();
            } catch (CompletionException e) {
                awaitRest();
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
            try {
                sink.accept(value);
            } catch (RuntimeException | Error e) {
                awaitRest();
                throw e;
            }
        }

        /** Lets tasks already started finish before the failure surfaces, so none outlives the call. */
        private void awaitRest() {
            for (CompletableFuture<T> f : inFlight) {
                try {
                    f.join();
                } catch (CompletionException | CancellationException ignored) {
                    // The first failure is the one reported.
                }
            }
            inFlight.clear();
        }
    }
}
