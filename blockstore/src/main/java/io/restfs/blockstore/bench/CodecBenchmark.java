package io.restfs.blockstore.bench;

import io.restfs.blockstore.codec.BackblazeErasureCoder;
import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.CodecPolicy;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.ErasureCoder;
import io.restfs.blockstore.codec.ObjectCodec;
import io.restfs.blockstore.codec.SegmentCodec;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.codec.SegmentShards;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.xerial.snappy.Snappy;

/**
 * Measures the segment codec: each stage alone (SHA-256, snappy, AES-GCM, Reed-Solomon) on exactly the
 * inputs the pipeline feeds it, then the whole encode and decode pipelines on one thread and on all
 * cores, for random and for compressible data. Every figure is MB (10^6 bytes) of plaintext per second.
 *
 * <p>The bound for a pipeline is what its stages would reach run back to back with no other cost:
 * plaintext / (sum of the stage times), that is 1 / (sum of 1/stage). Decoding reads exactly k shards
 * of which min(k, m) are parity, so every decode rebuilds data shards (the reader's worst case).
 * Each measurement runs {@link Options#repeats()} times after a warm-up and keeps the fastest, since
 * the machines are shared and slow runs measure the neighbours rather than the codec.
 */
public final class CodecBenchmark {
    private static final double MB = 1e6;
    /** AES-GCM record size the codec uses (DESIGN.md: 64 KiB keeps the JDK's GCM intrinsic engaged). */
    private static final int RECORD = 64 << 10;
    private static final int TAG = 16;

    /** What to measure. {@code size} bytes of each kind of data, cut into {@code segmentSize} segments. */
    public record Options(long size, int k, int m, int segmentSize, int threads, int repeats, long seed) {
        public Options {
            if (size < 1 || size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("size must be 1 byte .. 2 GiB, got " + size);
            }
            new CodecPolicy(k, m, segmentSize, true, true); // validates k, m and segment size
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
            }
        }

        public static Options defaults(long size, int k, int m) {
            return new Options(size, k, m, CodecPolicy.DEFAULT_SEGMENT_SIZE,
                    Runtime.getRuntime().availableProcessors(), 2, 1);
        }

        CodecPolicy policy() {
            return new CodecPolicy(k, m, segmentSize, true, true);
        }
    }

    /** Each stage alone, MB of plaintext per second. Decode-only stages of incompressible data are NaN-free: snappy uncompress is 0 when nothing was compressed. */
    public record Stages(
            double sha256Plaintext,
            double snappyCompress,
            double aesGcmEncrypt,
            double rsEncode,
            double sha256Shards,
            double sha256ShardsRead,
            double rsDecode,
            double aesGcmDecrypt,
            double snappyUncompress) {

        /** 1 / sum(1/stage) of the encode stages. */
        public double encodeBound() {
            return harmonic(sha256Plaintext, snappyCompress, aesGcmEncrypt, rsEncode, sha256Shards);
        }

        /** 1 / sum(1/stage) of the decode stages; snappy only counts when segments were compressed. */
        public double decodeBound() {
            return harmonic(sha256ShardsRead, rsDecode, aesGcmDecrypt, snappyUncompress, sha256Plaintext);
        }

        private static double harmonic(double... rates) {
            double inv = 0;
            for (double r : rates) {
                if (r > 0) {
                    inv += 1 / r;
                }
            }
            return 1 / inv;
        }
    }

    /** Pipeline figures in MB of plaintext per second. */
    public record Pipelines(double encodeOneThread, double decodeOneThread, double encodeAllCores, double decodeAllCores) {
    }

    /** Results for one kind of data. */
    public record DataResult(String data, double storedRatio, int compressedSegments, int segments,
            Stages stages, Pipelines pipelines) {
        public double encodeVsBound() {
            return pipelines.encodeOneThread() / stages.encodeBound();
        }

        public double decodeVsBound() {
            return pipelines.decodeOneThread() / stages.decodeBound();
        }

        public double encodeParallelVsSingle() {
            return pipelines.encodeAllCores() / pipelines.encodeOneThread();
        }

        public double decodeParallelVsSingle() {
            return pipelines.decodeAllCores() / pipelines.decodeOneThread();
        }
    }

    public record Result(Options options, List<DataResult> data) {
    }

    private final SecureRandom ids = new SecureRandom();

    /** Runs the benchmark; {@code progress} gets one line per phase. */
    public Result run(Options options, Consumer<String> progress) {
        Objects.requireNonNull(options, "options");
        List<DataResult> results = new ArrayList<>(2);
        ThreadFactory factory = namedThreads("codec-bench");
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), factory);
        try {
            for (String kind : List.of("random", "compressible")) {
                byte[] data = kind.equals("random") ? randomData(options.size(), options.seed())
                        : compressibleData(options.size(), options.seed());
                progress.accept(kind + ": warming up");
                Options warm = new Options(Math.min(options.size(), 48L << 20), options.k(), options.m(),
                        options.segmentSize(), options.threads(), 1, options.seed());
                byte[] warmData = Arrays.copyOf(data, (int) warm.size());
                measureStages(warm, warmData);
                measurePipelines(warm, warmData, pool);
                progress.accept(kind + ": measuring stages");
                Stages stages = null;
                for (int r = 0; r < options.repeats(); r++) {
                    stages = best(stages, measureStages(options, data));
                }
                progress.accept(kind + ": measuring pipelines");
                PipelineRun pipes = null;
                for (int r = 0; r < options.repeats(); r++) {
                    pipes = PipelineRun.best(pipes, measurePipelines(options, data, pool));
                }
                results.add(new DataResult(kind, pipes.storedRatio, pipes.compressedSegments, pipes.segments,
                        stages, pipes.figures));
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Result(options, results);
    }

    // ---------------------------------------------------------------- stages

    private static Stages best(Stages a, Stages b) {
        if (a == null) {
            return b;
        }
        return new Stages(Math.max(a.sha256Plaintext, b.sha256Plaintext), Math.max(a.snappyCompress, b.snappyCompress),
                Math.max(a.aesGcmEncrypt, b.aesGcmEncrypt), Math.max(a.rsEncode, b.rsEncode),
                Math.max(a.sha256Shards, b.sha256Shards), Math.max(a.sha256ShardsRead, b.sha256ShardsRead),
                Math.max(a.rsDecode, b.rsDecode), Math.max(a.aesGcmDecrypt, b.aesGcmDecrypt),
                Math.max(a.snappyUncompress, b.snappyUncompress));
    }

    /** Times each stage over every segment, preparing its input untimed, and sums the timed sections. */
    private Stages measureStages(Options o, byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] keyBytes = new byte[32];
            ids.nextBytes(keyBytes);
            SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
            byte[] nonce = new byte[12];
            ids.nextBytes(nonce);
            long nonceCounter = 0;
            int k = o.k();
            int m = o.m();
            int lost = Math.min(k, m);
            ErasureCoder coder = m > 0 ? new BackblazeErasureCoder(k, m) : null;

            int seg = o.segmentSize();
            byte[] compressed = new byte[Snappy.maxCompressedLength(seg)];
            int maxCt = seg + ((seg + RECORD - 1) / RECORD) * TAG + TAG;
            byte[] ct = new byte[maxCt];
            byte[] decrypted = new byte[maxCt];
            byte[] plainBack = new byte[seg];
            int maxL = (maxCt + k - 1) / k;
            byte[][] shards = new byte[k + m][maxL];

            long tSha = 0;
            long tSnappy = 0;
            long tEnc = 0;
            long tRsEnc = 0;
            long tShaShards = 0;
            long tShaRead = 0;
            long tRsDec = 0;
            long tDec = 0;
            long tUnsnappy = 0;
            for (int off = 0; off < data.length; off += seg) {
                int len = Math.min(seg, data.length - off);
                long t0 = System.nanoTime();
                sha.update(data, off, len);
                sha.digest();
                long t1 = System.nanoTime();
                int n = Snappy.compress(data, off, len, compressed, 0);
                long t2 = System.nanoTime();
                tSha += t1 - t0;
                tSnappy += t2 - t1;
                boolean keep = (long) n * 100 <= (long) len * 95;
                byte[] stored = keep ? compressed : data;
                int storedOff = keep ? 0 : off;
                int storedLen = keep ? n : len;

                // AES-GCM, 64 KiB records, one init per record as the codec does.
                int ctLen = 0;
                long t3 = System.nanoTime();
                for (int p = 0; p < storedLen || (p == 0 && storedLen == 0); p += RECORD) {
                    int rl = Math.min(RECORD, storedLen - p);
                    putLong(nonce, 4, nonceCounter++);
                    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                    ctLen += cipher.doFinal(stored, storedOff + p, rl, ct, ctLen);
                    if (storedLen == 0) {
                        break;
                    }
                }
                long t4 = System.nanoTime();
                tEnc += t4 - t3;

                int l = (ctLen + k - 1) / k;
                for (int i = 0; i < k; i++) {
                    int from = i * l;
                    int count = Math.max(0, Math.min(l, ctLen - from));
                    System.arraycopy(ct, Math.min(from, ctLen), shards[i], 0, count);
                    Arrays.fill(shards[i], count, l, (byte) 0);
                }
                long t5 = System.nanoTime();
                if (coder != null) {
                    coder.encodeParity(shards, 0, l);
                }
                long t6 = System.nanoTime();
                for (byte[] s : shards) {
                    sha.update(s, 0, l);
                    sha.digest();
                }
                long t7 = System.nanoTime();
                for (int i = lost; i < k + lost; i++) {
                    sha.update(shards[i], 0, l);
                    sha.digest();
                }
                long t8 = System.nanoTime();
                tRsEnc += t6 - t5;
                tShaShards += t7 - t6;
                tShaRead += t8 - t7;
                if (coder != null && lost > 0) {
                    boolean[] present = new boolean[k + m];
                    Arrays.fill(present, 0, k + lost, true);
                    Arrays.fill(present, 0, lost, false);
                    byte[][] saved = new byte[lost][];
                    for (int i = 0; i < lost; i++) {
                        saved[i] = Arrays.copyOf(shards[i], l);
                        Arrays.fill(shards[i], 0, l, (byte) 0);
                    }
                    // Parity beyond the k shards read is not needed; keep it "present" out of the way by
                    // only losing data shards and marking exactly k shards present.
                    for (int i = k + lost; i < k + m; i++) {
                        present[i] = false;
                    }
                    long t9 = System.nanoTime();
                    coder.reconstruct(shards, present, 0, l);
                    long t10 = System.nanoTime();
                    tRsDec += t10 - t9;
                    for (int i = 0; i < lost; i++) {
                        if (!Arrays.equals(saved[i], 0, l, shards[i], 0, l)) {
                            throw new IllegalStateException("Reed-Solomon did not rebuild data shard " + i);
                        }
                    }
                }

                long t11 = System.nanoTime();
                int pos = 0;
                int outPos = 0;
                nonceCounter -= (ctLen - storedLen) / TAG;
                while (pos < ctLen) {
                    int cl = Math.min(RECORD + TAG, ctLen - pos);
                    putLong(nonce, 4, nonceCounter++);
                    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                    outPos += cipher.doFinal(ct, pos, cl, decrypted, outPos);
                    pos += cl;
                }
                long t12 = System.nanoTime();
                tDec += t12 - t11;
                if (keep) {
                    long t13 = System.nanoTime();
                    Snappy.uncompress(decrypted, 0, storedLen, plainBack, 0);
                    long t14 = System.nanoTime();
                    tUnsnappy += t14 - t13;
                }
            }
            double p = data.length / MB;
            return new Stages(rate(p, tSha), rate(p, tSnappy), rate(p, tEnc), coder == null ? 0 : rate(p, tRsEnc),
                    rate(p, tShaShards), rate(p, tShaRead), coder == null || lost == 0 ? 0 : rate(p, tRsDec),
                    rate(p, tDec), tUnsnappy == 0 ? 0 : rate(p, tUnsnappy));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256 or AES/GCM", e);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy failed", e);
        }
    }

    private static double rate(double megabytes, long nanos) {
        return megabytes / (Math.max(1, nanos) / 1e9);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    // ------------------------------------------------------------- pipelines

    private record PipelineRun(Pipelines figures, double storedRatio, int compressedSegments, int segments) {
        static PipelineRun best(PipelineRun a, PipelineRun b) {
            if (a == null) {
                return b;
            }
            Pipelines x = a.figures;
            Pipelines y = b.figures;
            return new PipelineRun(new Pipelines(Math.max(x.encodeOneThread(), y.encodeOneThread()),
                    Math.max(x.decodeOneThread(), y.decodeOneThread()),
                    Math.max(x.encodeAllCores(), y.encodeAllCores()),
                    Math.max(x.decodeAllCores(), y.decodeAllCores())),
                    b.storedRatio, b.compressedSegments, b.segments);
        }
    }

    private PipelineRun measurePipelines(Options o, byte[] data, ExecutorService pool) {
        SegmentCodec codec = new SegmentCodec();
        CodecPolicy policy = o.policy();
        BucketKey key = BucketKey.generate(ids);
        ObjectCodec single = new ObjectCodec(codec, Runnable::run, 1);
        ObjectCodec parallel = new ObjectCodec(codec, pool, 2 * o.threads());
        double p = data.length / MB;

        List<SegmentId> idsOne = freshIds(data.length, policy);
        long t0 = System.nanoTime();
        List<EncodedSegment> encoded = single.encode(data, policy, key, iterator(idsOne));
        long t1 = System.nanoTime();
        List<SegmentShards> reads = readSet(encoded, o.k(), o.m());
        long t2 = System.nanoTime();
        decodeAll(single, reads, key, data);
        long t3 = System.nanoTime();

        encoded = null;
        List<SegmentId> idsAll = freshIds(data.length, policy);
        long t4 = System.nanoTime();
        List<EncodedSegment> encodedAll = parallel.encode(data, policy, key, iterator(idsAll));
        long t5 = System.nanoTime();
        reads = readSet(encodedAll, o.k(), o.m());
        long t6 = System.nanoTime();
        decodeAll(parallel, reads, key, data);
        long t7 = System.nanoTime();

        long stored = 0;
        int compressedSegments = 0;
        for (EncodedSegment s : encodedAll) {
            stored += s.storedBytes();
            compressedSegments += s.compressed() ? 1 : 0;
        }
        return new PipelineRun(new Pipelines(rate(p, t1 - t0), rate(p, t3 - t2), rate(p, t5 - t4), rate(p, t7 - t6)),
                (double) stored / data.length, compressedSegments, encodedAll.size());
    }

    private static void decodeAll(ObjectCodec codec, List<SegmentShards> reads, BucketKey key, byte[] expected) {
        try (OutputStream out = discardingVerifier(expected)) {
            codec.decode(reads, key, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.function.Supplier<SegmentId> iterator(List<SegmentId> ids) {
        var it = ids.iterator();
        return it::next;
    }

    private List<SegmentId> freshIds(int length, CodecPolicy policy) {
        int n = ObjectCodec.segmentCount(length, policy);
        List<SegmentId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(SegmentId.random(ids));
        }
        return out;
    }

    /** Exactly k shards per segment: the parity ones plus the data shards not "lost". */
    private static List<SegmentShards> readSet(List<EncodedSegment> encoded, int k, int m) {
        int lost = Math.min(k, m);
        List<SegmentShards> out = new ArrayList<>(encoded.size());
        for (EncodedSegment s : encoded) {
            List<byte[]> all = s.shardBytes();
            out.add(new SegmentShards(s.id(), all.subList(lost, k + lost)));
        }
        return out;
    }

    /** Checks the decoded bytes against the original as they stream past, so a broken codec cannot score. */
    private static OutputStream discardingVerifier(byte[] expected) {
        return new OutputStream() {
            private int pos;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (pos + len > expected.length || expected[pos] != b[off]
                        || expected[pos + len - 1] != b[off + len - 1]) {
                    throw new IllegalStateException("decoded bytes differ from the original at offset " + pos);
                }
                pos += len;
            }

            @Override
            public void close() {
                if (pos != expected.length) {
                    throw new IllegalStateException("decoded " + pos + " bytes of " + expected.length);
                }
            }
        };
    }

    // ------------------------------------------------------------------ data

    static byte[] randomData(long size, long seed) {
        byte[] b = new byte[Math.toIntExact(size)];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Log-like text (timestamps, ids, a small vocabulary): snappy shrinks it about 2-3 times, as real logs. */
    static byte[] compressibleData(long size, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        String[] verbs = {"stored", "fetched", "repaired", "verified", "evicted", "published", "queued", "acked"};
        String[] levels = {"INFO", "INFO", "INFO", "DEBUG", "WARN"};
        byte[] out = new byte[Math.toIntExact(size)];
        int pos = 0;
        StringBuilder line = new StringBuilder(160);
        while (pos < out.length) {
            line.setLength(0);
            line.append("2026-11-").append(10 + r.nextInt(20)).append('T').append(10 + r.nextInt(14)).append(':')
                    .append(10 + r.nextInt(50)).append(':').append(10 + r.nextInt(50)).append('.')
                    .append(100 + r.nextInt(900)).append("Z ").append(levels[r.nextInt(levels.length)])
                    .append(" node-").append(r.nextInt(64)).append(' ').append(verbs[r.nextInt(verbs.length)])
                    .append(" shard ").append(r.nextInt(9)).append(" of segment ")
                    .append(Long.toHexString(r.nextLong() & 0xffffffffL)).append(" in ").append(r.nextInt(200))
                    .append(" ms\n");
            byte[] l = line.toString().getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(l.length, out.length - pos);
            System.arraycopy(l, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
