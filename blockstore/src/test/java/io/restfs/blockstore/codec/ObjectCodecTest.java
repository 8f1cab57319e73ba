package io.restfs.blockstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {
    private static final CodecPolicy POLICY = new CodecPolicy(3, 2, 16 << 10, true, true);
    private static final BucketKey KEY = CodecFixtures.key(77);

    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(3,
            r -> new Thread(r, "object-codec-test-" + threadNumber.incrementAndGet()));
    private final ObjectCodec objects = new ObjectCodec(new SegmentCodec(), pool, 4);
    private final AtomicLong ids = new AtomicLong(5_000);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Supplier<SegmentId> idSource() {
        return () -> CodecFixtures.id(ids.incrementAndGet());
    }

    @Test
    void roundTripsManySegmentsInOrder() {
        byte[] object = CodecFixtures.randomBytes(10 * (16 << 10) + 4321, 1);
        List<EncodedSegment> segments = objects.encode(object, POLICY, KEY, idSource());
        assertEquals(11, segments.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(16 << 10, segments.get(i).plaintextLength());
        }
        assertEquals(4321, segments.get(10).plaintextLength());
        assertArrayEquals(object, objects.decode(segments.stream().map(SegmentShards::of).toList(), KEY));
    }

    @Test
    void streamsAnObjectThroughEncodeAndDecode() throws IOException {
        byte[] object = CodecFixtures.compressibleBytes(5 * (16 << 10), 2);
        List<EncodedSegment> segments = new ArrayList<>();
        InputStream trickle = new ByteArrayInputStream(object) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 999)); // short reads, as sockets give
            }
        };
        long read = objects.encode(trickle, POLICY, KEY, idSource(), segments::add);
        assertEquals(object.length, read);
        assertEquals(5, segments.size());
        // Readers fetch only k shards, parity included.
        List<SegmentShards> fetched = segments.stream()
                .map(s -> new SegmentShards(s.id(), s.shardBytes().subList(2, 5))).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        objects.decode(fetched, KEY, out);
        assertArrayEquals(object, out.toByteArray());
    }

    @Test
    void streamsAnObjectEndingInAPartialSegment() throws IOException {
        // The segments after the first are read into arrays of the segment's size; the last is only partly filled.
        byte[] object = CodecFixtures.compressibleBytes(3 * (16 << 10) + 777, 3);
        List<EncodedSegment> segments = new ArrayList<>();
        InputStream trickle = new ByteArrayInputStream(object) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        assertEquals(object.length, objects.encode(trickle, POLICY, KEY, idSource(), segments::add));
        assertEquals(List.of(16 << 10, 16 << 10, 16 << 10, 777),
                segments.stream().map(EncodedSegment::plaintextLength).toList());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        objects.decode(segments.stream().map(SegmentShards::of).toList(), KEY, out);
        assertArrayEquals(object, out.toByteArray());
    }

    @Test
    void emptyObjectHasNoSegments() throws IOException {
        assertEquals(List.of(), objects.encode(new byte[0], POLICY, KEY, idSource()));
        List<EncodedSegment> segments = new ArrayList<>();
        assertEquals(0, objects.encode(InputStream.nullInputStream(), POLICY, KEY, idSource(), segments::add));
        assertEquals(List.of(), segments);
        assertArrayEquals(new byte[0], objects.decode(List.of(), KEY));
    }

    @Test
    void reportsTheSegmentThatCannotBeDecoded() {
        byte[] object = CodecFixtures.randomBytes(6 * (16 << 10), 3);
        List<EncodedSegment> segments = objects.encode(object, POLICY, KEY, idSource());
        List<SegmentShards> fetched = new ArrayList<>(segments.stream().map(SegmentShards::of).toList());
        EncodedSegment broken = segments.get(4);
        fetched.set(4, new SegmentShards(broken.id(), broken.shardBytes().subList(0, 2)));
        NotEnoughShardsException e = assertThrows(NotEnoughShardsException.class, () -> objects.decode(fetched, KEY));
        assertEquals(broken.id(), e.segmentId());
        assertEquals(List.of(2, 3, 4), e.missingIndices());
    }

    @Test
    void passesOnTheOutputStreamsFailure() {
        byte[] object = CodecFixtures.randomBytes(4 * (16 << 10), 5);
        List<SegmentShards> segments = objects.encode(object, POLICY, KEY, idSource()).stream()
                .map(SegmentShards::of).toList();
        java.io.OutputStream full = new java.io.OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 20_000) {
                    throw new IOException("disk full");
                }
                written += len;
            }
        };
        IOException e = assertThrows(IOException.class, () -> objects.decode(segments, KEY, full));
        assertEquals("disk full", e.getMessage());
    }

    @Test
    void runsOnTheCallersThreadWithADirectExecutor() {
        ObjectCodec direct = new ObjectCodec(new SegmentCodec(), Runnable::run, 1);
        byte[] object = CodecFixtures.randomBytes(3 * (16 << 10), 4);
        List<EncodedSegment> segments = direct.encode(object, POLICY, KEY, idSource());
        assertArrayEquals(object, direct.decode(segments.stream().map(SegmentShards::of).toList(), KEY));
    }
}
