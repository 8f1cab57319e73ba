package io.restfs.node.cli.cluster;

import io.restfs.api.BucketPolicy;
import io.restfs.api.ObjectInfo;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;
import io.restfs.node.config.RuntimeInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The cluster demo: node processes on loopback, a k+m bucket, a large generated file and many small ones stored
 * through one node, m nodes killed with SIGKILL, everything read back through a survivor and checked by SHA-256.
 * Stops every process it started, whatever happens.
 */
public final class ClusterDemo {
    /** Options; the defaults are the demo: 6 nodes, 4+2, 256 MiB and 100 small files, 2 nodes killed. */
    public record Options(Path dir, int nodes, int k, int m, long bigBytes, int smallFiles, int smallMaxBytes,
                          int kill, long seed) {
        public static Options defaults(Path dir) {
            return new Options(dir, 6, 4, 2, 256L << 20, 100, 64 << 10, 2, 1);
        }
    }

    static final String BUCKET = "demo";
    static final String BIG_PATH = "/big.bin";
    /** Each node's share of this machine: the demo stores a few hundred MiB, most of it parity and big. */
    static final long NODE_CAPACITY = 4L << 30;
    private static final int IO_BUFFER = 1 << 20;
    /** Concurrent small-file reads: enough to overlap lookups that wait on dead nodes, few enough for 2 cores. */
    static final int READ_PARALLELISM = 16;

    private final Options o;
    private final PrintWriter out;

    public ClusterDemo(Options options, PrintWriter out) {
        this.o = options;
        this.out = out;
    }

    /** Runs the demo; true only when every byte read back matched. */
    public boolean run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        LocalCluster cluster = new LocalCluster(o.dir().resolve("cluster"));
        if (!cluster.running().isEmpty()) {
            throw new IOException("a cluster is already running in " + cluster.dir());
        }
        List<Path> dirs = cluster.init(o.nodes(), NODE_CAPACITY);
        List<LocalCluster.Node> nodes = cluster.start(dirs);
        // Stopped on every way out, SIGTERM of the demo included.
        Thread stopper = new Thread(() -> LocalCluster.stop(nodes.stream().map(n -> n.process().toHandle())
                .filter(ProcessHandle::isAlive).toList(), LocalCluster.DEFAULT_GRACE), "restfs-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return demo(cluster, dirs, nodes, t0);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it stops the nodes.
            }
            LocalCluster.stop(nodes.stream().map(n -> n.process().toHandle()).filter(ProcessHandle::isAlive).toList(),
                    LocalCluster.DEFAULT_GRACE);
            out.printf(Locale.ROOT, "stopped   all %d node processes; total time %.1f s%n", nodes.size(),
                    seconds(System.nanoTime() - t0));
            out.flush();
        }
    }

    private boolean demo(LocalCluster cluster, List<Path> dirs, List<LocalCluster.Node> nodes, long t0)
            throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "starting  %d node processes in %s%n", nodes.size(), cluster.dir());
        out.flush();
        Optional<String> missing = cluster.awaitJoined(nodes, ClusterUpCommand.JOIN_TIMEOUT);
        if (missing.isPresent()) {
            out.println("FAILED    the nodes did not all join: " + missing.get());
            return false;
        }
        Map<String, String> nameOf = new LinkedHashMap<>();
        for (LocalCluster.Node n : nodes) {
            nameOf.put(n.runtime().orElseThrow().nodeId(), n.name());
        }
        out.printf(Locale.ROOT, "cluster   %d nodes joined after %.1f s, each its own failure group%n", nodes.size(),
                seconds(System.nanoTime() - t0));
        String token = cluster.adminToken(dirs);
        RuntimeInfo writer = nodes.get(0).runtime().orElseThrow();
        RestfsClient client = new RestfsClient(URI.create(writer.apiUrl()), token, Duration.ofMinutes(5));
        client.buckets().create(BUCKET, new BucketPolicy(o.k(), o.m(), BucketPolicy.DEFAULT_SEGMENT_SIZE, true, true,
                false));
        out.printf(Locale.ROOT, "bucket    %s: %d+%d (any %d of %d shards bring a segment back), through %s%n",
                BUCKET, o.k(), o.m(), o.k(), o.k() + o.m(), writer.apiUrl());

        // The data: one large file on disk and many small ones in memory, all from one seed.
        SplittableRandom random = new SplittableRandom(o.seed());
        Path big = o.dir().resolve("big.bin");
        String bigHash = writeRandomFile(big, o.bigBytes(), random);
        List<byte[]> small = new ArrayList<>();
        for (int i = 0; i < o.smallFiles(); i++) {
            byte[] b = new byte[1 + random.nextInt(o.smallMaxBytes())];
            random.nextBytes(b);
            small.add(b);
        }

        long p0 = System.nanoTime();
        double c0 = cpuSeconds(nodes);
        ObjectInfo stored = client.upload(BUCKET, BIG_PATH, big, null, TransferListener.NONE);
        double putSeconds = seconds(System.nanoTime() - p0);
        out.printf(Locale.ROOT, "put       %s %s in %.1f s: %.1f MB/s (%d segments; %.1f s of CPU)%n", BIG_PATH,
                mib(o.bigBytes()), putSeconds, o.bigBytes() / 1e6 / putSeconds, stored.segments(),
                cpuSeconds(nodes) - c0);
        if (!stored.sha256().equalsIgnoreCase(bigHash)) {
            out.println("FAILED    the node hashed " + BIG_PATH + " to " + stored.sha256() + ", we to " + bigHash);
            return false;
        }
        long s0 = System.nanoTime();
        double c1 = cpuSeconds(nodes);
        long smallBytes = 0;
        for (int i = 0; i < small.size(); i++) {
            client.objects().put(BUCKET, smallPath(i), small.get(i), null);
            smallBytes += small.get(i).length;
        }
        out.printf(Locale.ROOT, "put       %d small files (%s) in %.1f s (%.1f s of CPU)%n", small.size(),
                mib(smallBytes), seconds(System.nanoTime() - s0), cpuSeconds(nodes) - c1);

        // Where the large file's shards went.
        List<SegmentInfo> segments = client.segments().locations(BUCKET, BIG_PATH, null);
        Map<String, Integer> shardsPerNode = new TreeMap<>();
        for (SegmentInfo s : segments) {
            for (ShardLocation l : s.shards()) {
                shardsPerNode.merge(nameOf.getOrDefault(l.nodeId(), l.nodeId().substring(0, 8)), 1, Integer::sum);
            }
        }
        out.println("placed    shards of " + BIG_PATH + " per node: " + shardsPerNode);

        // Kill the nodes holding the most shards, never the node we read through afterwards.
        LocalCluster.Node reader = nodes.get(1);
        List<LocalCluster.Node> victims = new ArrayList<>(nodes.subList(2, nodes.size()));
        victims.sort((a, b) -> Integer.compare(shardsPerNode.getOrDefault(b.name(), 0),
                shardsPerNode.getOrDefault(a.name(), 0)));
        victims = victims.subList(0, Math.min(o.kill(), victims.size()));
        int shardsLost = 0;
        for (LocalCluster.Node v : victims) {
            v.process().destroyForcibly();
            shardsLost += shardsPerNode.getOrDefault(v.name(), 0);
        }
        for (LocalCluster.Node v : victims) {
            v.process().waitFor();
        }
        int segmentsHit = 0;
        List<String> victimIds = victims.stream().map(v -> v.runtime().map(RuntimeInfo::nodeId).orElse("")).toList();
        for (SegmentInfo s : segments) {
            if (s.shards().stream().anyMatch(l -> victimIds.contains(l.nodeId()))) {
                segmentsHit++;
            }
        }
        out.printf(Locale.ROOT, "killed    %s with SIGKILL: %d shards of %s lost, %d of %d segments lost shards%n",
                victims.stream().map(LocalCluster.Node::name).toList(), shardsLost, BIG_PATH, segmentsHit,
                segments.size());

        // Read everything back through a survivor.
        RuntimeInfo readerInfo = reader.runtime().orElseThrow();
        RestfsClient readClient = new RestfsClient(URI.create(readerInfo.apiUrl()), token, Duration.ofMinutes(5));
        Path recovered = o.dir().resolve("recovered.bin");
        boolean ok = true;
        List<LocalCluster.Node> survivors = nodes.stream().filter(n -> n.process().isAlive()).toList();
        long g0 = System.nanoTime();
        double c2 = cpuSeconds(survivors);
        try {
            readClient.download(BUCKET, BIG_PATH, null, recovered, TransferListener.NONE);
            double getSeconds = seconds(System.nanoTime() - g0);
            String got = sha256(recovered);
            boolean same = got.equalsIgnoreCase(bigHash);
            ok &= same;
            out.printf(Locale.ROOT, "get       %s through %s in %.1f s: %.1f MB/s, sha256 %s (%.1f s of CPU)%n",
                    BIG_PATH, reader.name(), getSeconds, o.bigBytes() / 1e6 / getSeconds,
                    same ? "matches" : "DIFFERS (" + got + ")", cpuSeconds(survivors) - c2);
        } catch (RestfsException | IOException e) {
            ok = false;
            out.println("FAILED    reading " + BIG_PATH + " back: " + e.getMessage());
        }
        long r0 = System.nanoTime();
        double c3 = cpuSeconds(survivors);
        int smallOk = readSmallFiles(readClient, small);
        ok &= smallOk == small.size();
        out.printf(Locale.ROOT, "get       %d of %d small files match their sha256 (%.1f s; %.1f s of CPU)%n", smallOk,
                small.size(), seconds(System.nanoTime() - r0), cpuSeconds(survivors) - c3);
        out.println(ok ? "OK        everything stored was read back intact with " + victims.size()
                + " of " + nodes.size() + " nodes dead"
                : "FAILED    not everything could be read back");
        out.flush();
        Files.deleteIfExists(recovered);
        return ok;
    }

    /**
     * Reads the small files back, {@value #READ_PARALLELISM} at a time (each read is a few DHT lookups, which wait
     * out the dead nodes' timeouts); returns how many matched their SHA-256.
     */
    private int readSmallFiles(RestfsClient client, List<byte[]> small) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                READ_PARALLELISM, r -> {
                    Thread t = new Thread(r, "restfs-demo-read");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < small.size(); i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    try {
                        byte[] back = client.objects().get(BUCKET, smallPath(index), null);
                        return MessageDigest.isEqual(digest(back), digest(small.get(index)));
                    } catch (RestfsException e) {
                        synchronized (out) {
                            out.println("FAILED    reading " + smallPath(index) + ": " + e.getMessage());
                        }
                        return false;
                    }
                }));
            }
            int ok = 0;
            for (java.util.concurrent.Future<Boolean> f : results) {
                try {
                    ok += f.get() ? 1 : 0;
                } catch (java.util.concurrent.ExecutionException e) {
                    synchronized (out) {
                        out.println("FAILED    reading a small file: " + e.getCause());
                    }
                }
            }
            return ok;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String smallPath(int i) {
        return String.format(Locale.ROOT, "/small/file-%03d.bin", i);
    }

    private static String writeRandomFile(Path file, long size, SplittableRandom random) throws IOException {
        MessageDigest sha = sha();
        byte[] buf = new byte[IO_BUFFER];
        try (OutputStream os = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                random.nextBytes(buf);
                os.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = sha();
        byte[] buf = new byte[IO_BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] digest(byte[] b) {
        return sha().digest(b);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * CPU time used so far by {@code nodes} and this process (the client side): with every process on one
     * machine, a step's CPU seconds say more than its wall time when other work shares the cores.
     */
    private static double cpuSeconds(List<LocalCluster.Node> nodes) {
        long nanos = 0;
        for (LocalCluster.Node n : nodes) {
            nanos += n.process().toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            nanos += os.getProcessCpuTime();
        }
        return nanos / 1e9;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}
