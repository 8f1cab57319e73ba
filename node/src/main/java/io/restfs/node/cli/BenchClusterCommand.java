package io.restfs.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.api.BucketPolicy;
import io.restfs.api.ObjectInfo;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;
import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.CodecPolicy;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.ObjectCodec;
import io.restfs.blockstore.codec.SegmentCodec;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.codec.SegmentShards;
import io.restfs.node.cli.cluster.LocalCluster;
import io.restfs.node.config.RuntimeInfo;
import io.restfs.node.storage.CodecWarmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code restfs bench cluster}: puts and gets one generated file through the streaming API of a local cluster of
 * node processes and, in the same run, times the codec pipeline (encode and decode on all cores, the work a
 * gateway node does) on the same bytes; reports MB/s and the cluster-to-codec ratios against the targets.
 * Both sides are timed warm: the codec after a warm-up run, the cluster after an untimed put and get.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Put and get a generated file through a local cluster's streaming API and compare with the"
                + " codec pipeline on the same data (targets: put 0.5, get 0.6 of the pipeline). MB = 10^6 bytes.")
final class BenchClusterCommand implements Callable<Integer> {
    /** The targets: a put at half the codec's encode rate or better, a get at 0.6 of its decode rate. */
    static final double PUT_TARGET = 0.5;
    static final double GET_TARGET = 0.6;
    /** The codec is timed on at most this much of the file, held in memory with its shards (1.5x for 4+2). */
    static final long CODEC_SAMPLE_MAX = 256L << 20;
    /** Put and got back, untimed, before the timed runs: enough transfers for the JIT to compile the nodes' paths. */
    static final long WARM_BYTES = 64L << 20;

    @Option(names = "--nodes", defaultValue = "6", description = "Node processes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--size", defaultValue = "1g", description = "Size of the file (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--k", defaultValue = "4", description = "Data shards (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--m", defaultValue = "2", description = "Parity shards (default ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--dir", description = "Working folder, kept (default: temporary, removed).")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object with every figure as the last line.")
    boolean json;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long bytes;
        CodecPolicy policy;
        try {
            bytes = InitCommand.parseSize(size);
            policy = new CodecPolicy(k, m, CodecPolicy.DEFAULT_SEGMENT_SIZE, true, true);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (nodes < k + m) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least k+m = " + (k + m));
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("restfs-bench-cluster-") : Files.createDirectories(dir);
        try {
            return run(out, work, bytes, policy);
        } finally {
            if (temporary) {
                try (Stream<Path> s = Files.walk(work)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private int run(PrintWriter out, Path work, long bytes, CodecPolicy policy) throws Exception {
        Path file = work.resolve("data.bin");
        writeRandom(file, bytes, new SplittableRandom(seed));
        out.printf(Locale.ROOT, "bench cluster: %d nodes, %d+%d, %.0f MB of random data, %d cores%n", nodes, k, m,
                bytes / 1e6, Runtime.getRuntime().availableProcessors());
        out.flush();

        double[] codec = codecPipeline(file, Math.min(bytes, CODEC_SAMPLE_MAX), policy);
        out.printf(Locale.ROOT, "codec pipeline, all cores: encode %.1f MB/s, decode %.1f MB/s (first %.0f MB;"
                + " %.1f and %.1f s of CPU; load average %.1f)%n", codec[0], codec[1],
                Math.min(bytes, CODEC_SAMPLE_MAX) / 1e6, codec[2], codec[3], loadAverage());
        out.flush();

        LocalCluster cluster = new LocalCluster(work.resolve("cluster"));
        List<Path> dirs = cluster.init(nodes, Math.max(4 * bytes, 1L << 30));
        List<LocalCluster.Node> started = cluster.start(dirs);
        Thread stopper = new Thread(() -> LocalCluster.stop(started.stream().map(n -> n.process().toHandle()).toList(),
                LocalCluster.DEFAULT_GRACE), "restfs-bench-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            Optional<String> missing = cluster.awaitJoined(started, Duration.ofSeconds(120));
            if (missing.isPresent()) {
                out.println("bench cluster: the nodes did not all join: " + missing.get());
                return 1;
            }
            String token = cluster.adminToken(dirs);
            RuntimeInfo gateway = started.get(0).runtime().orElseThrow();
            RestfsClient client = new RestfsClient(URI.create(gateway.apiUrl()), token, Duration.ofMinutes(30));
            client.buckets().create("bench", new BucketPolicy(k, m, policy.segmentSize(), true, true, false));
            // The codec is timed warm; so are the nodes: a fresh JVM spends most of its first transfers compiling
            // (the JIT threads were the nodes' busiest), which a node that has been up a while has long done.
            Path warm = work.resolve("warm.bin");
            writeRandom(warm, Math.min(bytes, WARM_BYTES), new SplittableRandom(seed + 1));
            ObjectInfo warmed = client.upload("bench", "/warm.bin", warm, null, TransferListener.NONE);
            client.download("bench", "/warm.bin", warmed.version(), work.resolve("warm-back.bin"),
                    TransferListener.NONE);
            Files.deleteIfExists(warm);
            Files.deleteIfExists(work.resolve("warm-back.bin"));
            out.printf(Locale.ROOT, "cluster warmed up: %.0f MB put and got back, untimed%n",
                    Math.min(bytes, WARM_BYTES) / 1e6);
            out.flush();

            long t0 = System.nanoTime();
            double c0 = cpuSeconds(started);
            OptionalDouble j0 = jitSeconds(started);
            ObjectInfo put = client.upload("bench", "/data.bin", file, null, TransferListener.NONE);
            double putMbps = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
            double putCpu = cpuSeconds(started) - c0;
            OptionalDouble putJit = minus(jitSeconds(started), j0);
            double putLoad = loadAverage();
            Path back = work.resolve("back.bin");
            long t1 = System.nanoTime();
            double c1 = cpuSeconds(started);
            OptionalDouble j1 = jitSeconds(started);
            client.download("bench", "/data.bin", put.version(), back, TransferListener.NONE);
            double getMbps = bytes / 1e6 / ((System.nanoTime() - t1) / 1e9);
            double getCpu = cpuSeconds(started) - c1;
            OptionalDouble getJit = minus(jitSeconds(started), j1);
            double getLoad = loadAverage();
            Files.deleteIfExists(back);

            double putRatio = putMbps / codec[0];
            double getRatio = getMbps / codec[1];
            out.printf(Locale.ROOT, "put through %s: %.1f MB/s = %.2f of encode (target %.1f: %s; %.1f s of CPU,"
                    + " load average %.1f)%n", gateway.apiUrl(), putMbps, putRatio, PUT_TARGET,
                    putRatio >= PUT_TARGET ? "met" : "NOT met", putCpu, putLoad);
            out.printf(Locale.ROOT, "get through %s: %.1f MB/s = %.2f of decode (target %.1f: %s; %.1f s of CPU,"
                    + " load average %.1f)%n", gateway.apiUrl(), getMbps, getRatio, GET_TARGET,
                    getRatio >= GET_TARGET ? "met" : "NOT met", getCpu, getLoad);
            if (putJit.isPresent() && getJit.isPresent()) {
                out.printf(Locale.ROOT, "of that CPU, the nodes' JIT compiler threads: %.1f s in the put, %.1f s in the"
                        + " get (young node JVMs still compiling; a node up for long has done it)%n",
                        putJit.getAsDouble(), getJit.getAsDouble());
            }
            // On a shared machine the wall-clock ratios swing with the load of the moment each side ran in; the
            // CPU each side spent on the same bytes is steadier: this is the ratio when both are CPU-bound here.
            // The codec ran on the first CODEC_SAMPLE_MAX bytes at most: its CPU is scaled to the whole file.
            double codecScale = (double) bytes / Math.min(bytes, CODEC_SAMPLE_MAX);
            double putCpuRatio = codec[2] * codecScale / putCpu;
            double getCpuRatio = codec[3] * codecScale / getCpu;
            out.printf(Locale.ROOT, "by CPU spent on the same bytes: put %.2f of encode, get %.2f of decode%n",
                    putCpuRatio, getCpuRatio);
            out.println("(all node processes, the codec and this client share this machine's cores)");
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("nodes", nodes).put("k", k).put("m", m).put("bytes", bytes)
                        .put("cores", Runtime.getRuntime().availableProcessors())
                        .put("codec_encode_mbps", round(codec[0])).put("codec_decode_mbps", round(codec[1]))
                        .put("put_mbps", round(putMbps)).put("get_mbps", round(getMbps))
                        .put("put_vs_encode", round(putRatio)).put("get_vs_decode", round(getRatio))
                        .put("put_vs_encode_by_cpu", round(putCpuRatio)).put("get_vs_decode_by_cpu", round(getCpuRatio))
                        .put("put_target", PUT_TARGET).put("get_target", GET_TARGET)
                        .put("codec_encode_cpu_s", round(codec[2])).put("codec_decode_cpu_s", round(codec[3]))
                        .put("codec_sample_bytes", Math.min(bytes, CODEC_SAMPLE_MAX))
                        .put("put_cpu_s", round(putCpu)).put("get_cpu_s", round(getCpu))
                        .put("load_average_put", round(putLoad)).put("load_average_get", round(getLoad));
                putJit.ifPresent(v -> o.put("put_jit_cpu_s", round(v)));
                getJit.ifPresent(v -> o.put("get_jit_cpu_s", round(v)));
                out.println(new ObjectMapper().writeValueAsString(o));
            }
            return 0;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopper);
            stopper.run();
            out.flush();
        }
    }

    /** Encode then decode the first {@code sample} bytes of {@code file} on all cores: MB/s of plaintext each. */
    private static double[] codecPipeline(Path file, long sample, CodecPolicy policy) throws IOException {
        byte[] data = new byte[Math.toIntExact(sample)];
        try (InputStream in = Files.newInputStream(file)) {
            in.readNBytes(data, 0, data.length);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "restfs-bench-cluster-codec");
            t.setDaemon(true);
            return t;
        });
        try {
            ObjectCodec codec = new ObjectCodec(new SegmentCodec(), pool, 2 * threads);
            BucketKey key = BucketKey.generate(new SecureRandom());
            SecureRandom ids = new SecureRandom();
            // Warmed as the nodes are (CodecWarmup: the JIT compiles AES-GCM with its intrinsics), then one
            // untimed pass, as bench codec does: the nodes' figures are compared with a codec at full speed.
            new CodecWarmup(new SegmentCodec()).run();
            codec.encode(java.util.Arrays.copyOf(data, Math.min(data.length, 32 << 20)), policy, key,
                    () -> SegmentId.random(ids));
            long t0 = System.nanoTime();
            double c0 = processCpuSeconds();
            List<EncodedSegment> segments = codec.encode(data, policy, key, () -> SegmentId.random(ids));
            double encode = data.length / 1e6 / ((System.nanoTime() - t0) / 1e9);
            double encodeCpu = processCpuSeconds() - c0;
            List<SegmentShards> shards = new ArrayList<>();
            for (EncodedSegment s : segments) {
                shards.add(SegmentShards.of(s));
            }
            long t1 = System.nanoTime();
            double c1 = processCpuSeconds();
            codec.decode(shards, key, OutputStream.nullOutputStream());
            double decode = data.length / 1e6 / ((System.nanoTime() - t1) / 1e9);
            return new double[] {encode, decode, encodeCpu, processCpuSeconds() - c1};
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void writeRandom(Path file, long size, SplittableRandom random) throws IOException {
        byte[] buf = new byte[1 << 20];
        try (OutputStream os = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                os.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    /** CPU time of this process (the client and the codec runs). */
    private static double processCpuSeconds() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : 0;
    }

    /**
     * CPU time of the node processes and this one: on a shared machine the CPU a transfer costs is steadier than its
     * wall time, and with the load average tells how far the ratios are from what a quiet machine gives.
     */
    private static double cpuSeconds(List<LocalCluster.Node> nodes) {
        double s = processCpuSeconds();
        for (LocalCluster.Node n : nodes) {
            s += n.process().toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
        return s;
    }

    /** CPU time of the node processes' JIT compiler threads, where the OS tells (Linux /proc). */
    private static OptionalDouble jitSeconds(List<LocalCluster.Node> nodes) {
        CompilerCpu jit = CompilerCpu.system();
        double s = 0;
        for (LocalCluster.Node n : nodes) {
            OptionalDouble v = jit.seconds(n.process().pid());
            if (v.isEmpty()) {
                return OptionalDouble.empty();
            }
            s += v.getAsDouble();
        }
        return OptionalDouble.of(s);
    }

    private static OptionalDouble minus(OptionalDouble after, OptionalDouble before) {
        return after.isPresent() && before.isPresent() ? OptionalDouble.of(after.getAsDouble() - before.getAsDouble())
                : OptionalDouble.empty();
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
