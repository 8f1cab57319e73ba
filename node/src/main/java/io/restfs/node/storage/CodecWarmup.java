package io.restfs.node.storage;

import java.security.SecureRandom;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.CodecPolicy;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.SegmentCodec;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.store.Sha256;

/**
 * Runs the segment codec on many small throwaway segments once, when a node starts, so the JIT compiles its hot
 * paths before the first large put or get rather than during it. AES-GCM is the reason: until C2 has compiled
 * its callers, GHASH runs as plain Java, at about 60 MB/s on one core here, against several GB/s once the
 * carry-less-multiply intrinsic is in; a fresh node took a whole 256 MiB put and get to get there, the codec
 * threads spending most of their time in GHASH. Small segments reach the compile thresholds (invocation counts)
 * for a fraction of the work large ones would need: well under a second of one core.
 */
public final class CodecWarmup implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CodecWarmup.class);

    /**
     * Segments encoded and decoded. Each call loops over many blocks, so C2's thresholds (Tier4MinInvocationThreshold
     * 600 calls with enough loop iterations) are passed early; measured here, 1,500 rounds of 4 KiB (0.3 s of one
     * core) brought a fresh JVM's single-thread encode of 4 MiB segments from 60 to 250-360 MB/s at once.
     */
    static final int SEGMENTS = 2_000;
    /** Small, so the rounds cost little, yet a full AES-GCM record's worth of the same calls. */
    static final int SEGMENT_BYTES = 4 << 10;

    private final SegmentCodec codec;

    public CodecWarmup(SegmentCodec codec) {
        this.codec = codec;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        SecureRandom random = new SecureRandom();
        BucketKey key = BucketKey.generate(random);
        CodecPolicy policy = new CodecPolicy(4, 2, SEGMENT_BYTES, true, true);
        byte[] data = new byte[SEGMENT_BYTES];
        random.nextBytes(data);
        for (int i = 0; i < SEGMENTS; i++) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            EncodedSegment seg = codec.encode(policy, SegmentId.random(random), key, data);
            List<byte[]> shards = seg.shardBytes();
            Sha256.of(shards.get(0));
            // Mostly the common read (the data shards), sometimes a rebuild from parity.
            codec.decode(seg.id(), key, i % 4 == 0 ? shards.subList(1, 5) : shards.subList(0, 4));
        }
        log.info("codec warmed up: {} segments encoded and decoded in {} ms", SEGMENTS,
                (System.nanoTime() - started) / 1_000_000);
    }
}
