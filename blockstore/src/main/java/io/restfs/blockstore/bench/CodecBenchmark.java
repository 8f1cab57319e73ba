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
import io.restfs.blockstore.codec.Shard;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
                    Runtime.getRuntime().availableProcessors(), 3, 1);
        }

        CodecPolicy policy() {
            return new CodecPolicy(k, m, segmentSize, true, true);
        }
    }

    /**
     * Each stage alone, MB of plaintext per second (a stage that did not run, such as snappy uncompress
     * on incompressible data or Reed-Solomon with m = 0, reads 0 and is left out of the bounds).
     */
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

    /**
     * The one-thread comparison redone on the thread's CPU time instead of wall-clock: the same stages
     * and pipelines, minus the time other processes took the core. On a quiet machine it matches the
     * wall-clock figures; on a shared one it is the figure that still describes the codec.
     */
    public record CpuTime(Stages stages, double encodeOneThread, double decodeOneThread, Scaling scaling) {
        public double encodeVsBound() {
            return encodeOneThread / stages.encodeBound();
        }

        public double decodeVsBound() {
            return decodeOneThread / stages.decodeBound();
        }
    }

    /**
     * How the all-cores runs used the machine, from the process's CPU time (GC and JIT included):
     * cores the process kept busy on average, and MB per CPU-second all-cores divided by the same for
     * one thread. Efficiency near 1 with few cores used means the code scales and the machine was
     * busy with other work; efficiency well below 1 means the codec itself loses work when parallel.
     */
    public record Scaling(double encodeCoresUsed, double decodeCoresUsed, double encodeEfficiency,
            double decodeEfficiency) {
    }

    /** Results for one kind of data. */
    public record DataResult(String data, double storedRatio, int compressedSegments, int segments,
            Stages stages, Pipelines pipelines, CpuTime cpu) {
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
                // Stages and pipelines alternate, so that each repeat sees both under the same load.
                StageRun stages = null;
                PipelineRun pipes = null;
                for (int r = 0; r < options.repeats(); r++) {
                    progress.accept(kind + ": measuring stages (" + (r + 1) + "/" + options.repeats() + ")");
                    stages = StageRun.best(stages, measureStages(options, data));
                    progress.accept(kind + ": measuring pipelines (" + (r + 1) + "/" + options.repeats() + ")");
                    pipes = PipelineRun.best(pipes, measurePipelines(options, data, pool));
                }
                results.add(new DataResult(kind, pipes.storedRatio, pipes.compressedSegments, pipes.segments,
                        stages.wall, pipes.figures,
                        new CpuTime(stages.cpu, pipes.encodeOneThreadCpu, pipes.decodeOneThreadCpu, pipes.scaling)));
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
    private StageRun measureStages(Options o, byte[] data) {
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

            Stopwatch sw = new Stopwatch();
            for (int off = 0; off < data.length; off += seg) {
                int len = Math.min(seg, data.length - off);
                sw.start();
                sha.update(data, off, len);
                sha.digest();
                sw.lap(SHA_PLAIN);
                int n = Snappy.compress(data, off, len, compressed, 0);
                sw.lap(SNAPPY);
                boolean keep = (long) n * 100 <= (long) len * 95;
                byte[] stored = keep ? compressed : data;
                int storedOff = keep ? 0 : off;
                int storedLen = keep ? n : len;

                // AES-GCM, 64 KiB records, one init per record as the codec does.
                int ctLen = 0;
                sw.start();
                for (int p = 0; p < storedLen || (p == 0 && storedLen == 0); p += RECORD) {
                    int rl = Math.min(RECORD, storedLen - p);
                    putLong(nonce, 4, nonceCounter++);
                    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
                    ctLen += cipher.doFinal(stored, storedOff + p, rl, ct, ctLen);
                    if (storedLen == 0) {
                        break;
                    }
                }
                sw.lap(AES_ENC);

                int l = (ctLen + k - 1) / k;
                for (int i = 0; i < k; i++) {
                    int from = i * l;
                    int count = Math.max(0, Math.min(l, ctLen - from));
                    System.arraycopy(ct, Math.min(from, ctLen), shards[i], 0, count);
                    Arrays.fill(shards[i], count, l, (byte) 0);
                }
                sw.start();
                if (coder != null) {
                    coder.encodeParity(shards, 0, l);
                }
                sw.lap(RS_ENC);
                for (byte[] s : shards) {
                    sha.update(s, 0, l);
                    sha.digest();
                }
                sw.lap(SHA_SHARDS);
                for (int i = lost; i < k + lost; i++) {
                    sha.update(shards[i], 0, l);
                    sha.digest();
                }
                sw.lap(SHA_READ);
                if (coder != null && lost > 0) {
                    boolean[] present = new boolean[k + m];
                    Arrays.fill(present, 0, k + lost, true);
                    Arrays.fill(present, 0, lost, false);
                    byte[][] saved = new byte[lost][];
                    for (int i = 0; i < lost; i++) {
                        saved[i] = Arrays.copyOf(shards[i], l);
                        Arrays.fill(shards[i], 0, l, (byte) 0);
                    }
                    // The reader holds exactly k shards, [lost, k + lost), and rebuilds only the data it lacks.
                    sw.start();
                    coder.reconstructData(shards, present, 0, l);
                    sw.lap(RS_DEC);
                    for (int i = 0; i < lost; i++) {
                        if (!Arrays.equals(saved[i], 0, l, shards[i], 0, l)) {
                            throw new IllegalStateException("Reed-Solomon did not rebuild data shard " + i);
                        }
                    }
                }

                sw.start();
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
                sw.lap(AES_DEC);
                if (keep) {
                    sw.start();
                    Snappy.uncompress(decrypted, 0, storedLen, plainBack, 0);
                    sw.lap(UNSNAPPY);
                }
            }
            double p = data.length / MB;
            return new StageRun(sw.stages(p, sw.wall), sw.stages(p, sw.cpu));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256 or AES/GCM", e);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy failed", e);
        }
    }

    private record StageRun(Stages wall, Stages cpu) {
        static StageRun best(StageRun a, StageRun b) {
            return a == null ? b : new StageRun(CodecBenchmark.best(a.wall, b.wall), CodecBenchmark.best(a.cpu, b.cpu));
        }
    }

    private static final int SHA_PLAIN = 0;
    private static final int SNAPPY = 1;
    private static final int AES_ENC = 2;
    private static final int RS_ENC = 3;
    private static final int SHA_SHARDS = 4;
    private static final int SHA_READ = 5;
    private static final int RS_DEC = 6;
    private static final int AES_DEC = 7;
    private static final int UNSNAPPY = 8;

    /**
     * Sums wall-clock and this thread's CPU time per stage. CPU time leaves out the time the thread was
     * preempted, so on a shared machine it still shows what the codec itself costs.
     */
    private static final class Stopwatch {
        final long[] wall = new long[9];
        final long[] cpu = new long[9];
        private long wall0;
        private long cpu0;

        void start() {
            wall0 = System.nanoTime();
            cpu0 = cpuNow();
        }

        void lap(int stage) {
            long w = System.nanoTime();
            long c = cpuNow();
            wall[stage] += w - wall0;
            cpu[stage] += c - cpu0;
            wall0 = w;
            cpu0 = c;
        }

        Stages stages(double megabytes, long[] t) {
            return new Stages(rate(megabytes, t[SHA_PLAIN]), rate(megabytes, t[SNAPPY]), rate(megabytes, t[AES_ENC]),
                    t[RS_ENC] == 0 ? 0 : rate(megabytes, t[RS_ENC]), rate(megabytes, t[SHA_SHARDS]),
                    rate(megabytes, t[SHA_READ]), t[RS_DEC] == 0 ? 0 : rate(megabytes, t[RS_DEC]),
                    rate(megabytes, t[AES_DEC]), t[UNSNAPPY] == 0 ? 0 : rate(megabytes, t[UNSNAPPY]));
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** This thread's CPU time in nanoseconds, or wall-clock time where the JVM cannot tell. */
    static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** The whole process's CPU time in nanoseconds (all threads, GC and JIT included), or wall-clock where unknown. */
    static long processCpuNow() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return System.nanoTime();
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

    private record PipelineRun(Pipelines figures, double encodeOneThreadCpu, double decodeOneThreadCpu,
            Scaling scaling, double storedRatio, int compressedSegments, int segments) {
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
                    Math.max(a.encodeOneThreadCpu, b.encodeOneThreadCpu), Math.max(a.decodeOneThreadCpu, b.decodeOneThreadCpu),
                    // Scaling comes from the run whose all-cores figure is kept.
                    new Scaling(
                            (x.encodeAllCores() >= y.encodeAllCores() ? a : b).scaling.encodeCoresUsed(),
                            (x.decodeAllCores() >= y.decodeAllCores() ? a : b).scaling.decodeCoresUsed(),
                            (x.encodeAllCores() >= y.encodeAllCores() ? a : b).scaling.encodeEfficiency(),
                            (x.decodeAllCores() >= y.decodeAllCores() ? a : b).scaling.decodeEfficiency()),
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

        // Timed encodes hand each segment to a sink that only counts it, as a node ships and drops
        // shards; keeping them all would make every young GC copy them and bill that to the codec.
        // The shards the decodes read come from an untimed encode.
        EncodeTally one = new EncodeTally();
        List<SegmentId> idsOne = freshIds(data.length, policy);
        long[] proc = new long[8];
        long c0 = cpuNow();
        proc[0] = processCpuNow();
        long t0 = System.nanoTime();
        single.encode(data, policy, key, iterator(idsOne), one);
        long t1 = System.nanoTime();
        proc[1] = processCpuNow();
        long c1 = cpuNow();
        EncodeTally all = new EncodeTally();
        List<SegmentId> idsAll = freshIds(data.length, policy);
        proc[2] = processCpuNow();
        long t2 = System.nanoTime();
        parallel.encode(data, policy, key, iterator(idsAll), all);
        long t3 = System.nanoTime();
        proc[3] = processCpuNow();
        if (one.stored != all.stored || one.segments != ObjectCodec.segmentCount(data.length, policy)) {
            throw new IllegalStateException("one-thread and all-core encodes disagree: " + one.stored + " vs " + all.stored);
        }

        List<SegmentShards> reads = readSet(parallel.encode(data, policy, key, iterator(freshIds(data.length, policy))),
                o.k(), o.m());
        long c4 = cpuNow();
        proc[4] = processCpuNow();
        long t4 = System.nanoTime();
        decodeAll(single, reads, key, data);
        long t5 = System.nanoTime();
        proc[5] = processCpuNow();
        long c5 = cpuNow();
        proc[6] = processCpuNow();
        long t5b = System.nanoTime();
        decodeAll(parallel, reads, key, data);
        long t6 = System.nanoTime();
        proc[7] = processCpuNow();
        Scaling scaling = new Scaling(
                (double) (proc[3] - proc[2]) / (t3 - t2), (double) (proc[7] - proc[6]) / (t6 - t5b),
                rate(p, proc[3] - proc[2]) / rate(p, proc[1] - proc[0]),
                rate(p, proc[7] - proc[6]) / rate(p, proc[5] - proc[4]));
        return new PipelineRun(new Pipelines(rate(p, t1 - t0), rate(p, t5 - t4), rate(p, t3 - t2), rate(p, t6 - t5b)),
                rate(p, c1 - c0), rate(p, c5 - c4), scaling, (double) one.stored / data.length, one.compressed,
                one.segments);
    }

    /** Counts what an encode produced, keeping none of it. */
    private static final class EncodeTally implements Consumer<EncodedSegment> {
        long stored;
        int segments;
        int compressed;

        @Override
        public void accept(EncodedSegment s) {
            stored += s.storedBytes();
            segments++;
            compressed += s.compressed() ? 1 : 0;
        }
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

    /** Exactly k shards per segment, the parity ones plus the data shards not "lost", and the manifest's hashes. */
    private static List<SegmentShards> readSet(List<EncodedSegment> encoded, int k, int m) {
        int lost = Math.min(k, m);
        List<SegmentShards> out = new ArrayList<>(encoded.size());
        for (EncodedSegment s : encoded) {
            List<byte[]> all = s.shardBytes();
            out.add(new SegmentShards(s.id(), all.subList(lost, k + lost),
                    s.shards().stream().map(Shard::payloadHash).toList()));
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
