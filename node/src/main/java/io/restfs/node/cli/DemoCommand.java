package io.restfs.node.cli;

import io.restfs.blockstore.codec.BucketKey;
import io.restfs.blockstore.codec.CodecPolicy;
import io.restfs.blockstore.codec.EncodedSegment;
import io.restfs.blockstore.codec.ObjectCodec;
import io.restfs.blockstore.codec.SegmentCodec;
import io.restfs.blockstore.codec.SegmentId;
import io.restfs.blockstore.codec.SegmentShards;
import io.restfs.blockstore.codec.Shard;
import io.restfs.blockstore.store.Sha256;
import io.restfs.blockstore.store.ShardCorruptException;
import io.restfs.blockstore.store.ShardKey;
import io.restfs.blockstore.store.ShardNotFoundException;
import io.restfs.blockstore.store.ShardSpec;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.blockstore.store.ShardStoreStats;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code restfs demo}: the storage engine end to end on one machine. It generates a sample file, encodes
 * it into k+m shards in a local shard store, loses m shards of every segment (deleted, and in the first
 * segment one of them silently corrupted on disk instead), then recovers the file from what is left and
 * verifies its SHA-256.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local cluster, store files in it, kill m nodes, read everything back and verify it.",
            "",
            "Starts 6 node processes on loopback, creates a 4+2 bucket, stores a generated 256 MiB file and",
            "100 small files, kills 2 nodes with SIGKILL, reads everything back through a surviving node,",
            "verifies SHA-256, prints a summary and stops every process. Exits 0 only if everything verified.",
            "",
            "With --local: the storage engine alone. A sample file is encoded (snappy, AES-256-GCM,",
            "Reed-Solomon) into a local shard store; m shards of every segment are then lost, one of them by",
            "a bit flip on disk that the store's hash check must catch. Exits 0 only if the recovered file is",
            "identical to the original."
        })
final class DemoCommand implements Callable<Integer> {
    /** Sample size of the local demo; the cluster demo's file is the 256 MiB. */
    static final long LOCAL_DEFAULT_SIZE = 64L << 20;

    @Option(names = "--local", description = "Run the storage engine alone, in this process (no cluster).")
    boolean local;

    @Option(names = "--size", converter = BenchCodecCommand.ByteSizeConverter.class,
            description = "Size of the sample file (suffix k, m or g; default 256m, 64m with --local).")
    Long size;

    @Option(names = "--k", defaultValue = "4", description = "Data shards per segment (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--m", defaultValue = "2", description = "Parity shards per segment (default ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--nodes", defaultValue = "6", description = "Node processes (default ${DEFAULT-VALUE}; not with --local).")
    int nodes;

    @Option(names = "--small-files", defaultValue = "100",
            description = "Small files stored beside the large one (default ${DEFAULT-VALUE}; not with --local).")
    int smallFiles;

    @Option(names = "--dir", description = "Working directory, kept afterwards (default: a temporary one, removed).")
    Path dir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sample data and of the shards lost (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!local) {
            return cluster();
        }
        long size = this.size == null ? LOCAL_DEFAULT_SIZE : this.size;
        if (m < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the demo loses m shards per segment: --m must be at least 1");
        }
        if (size < 1 || size > (1L << 30)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be between 1 byte and 1g");
        }
        CodecPolicy policy;
        try {
            policy = CodecPolicy.of(k, m);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("restfs-demo-") : Files.createDirectories(dir);
        try {
            return run(policy, work, size);
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    /** The cluster demo: node processes, m of them killed, everything read back through a survivor. */
    private int cluster() throws IOException {
        if (m < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the demo kills m nodes: --m must be at least 1");
        }
        if (nodes < k + m || nodes < m + 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least k+m (" + (k + m)
                    + ") and leave a writer and a reader alive");
        }
        long bytes = size == null ? io.restfs.node.cli.cluster.ClusterDemo.Options.defaults(Path.of(".")).bigBytes()
                : size;
        if (bytes < 1 || bytes > (4L << 30) || smallFiles < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be 1 byte to 4g, --small-files >= 0");
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("restfs-demo-") : Files.createDirectories(dir);
        java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
        try {
            io.restfs.node.cli.cluster.ClusterDemo.Options d = io.restfs.node.cli.cluster.ClusterDemo.Options.defaults(work);
            io.restfs.node.cli.cluster.ClusterDemo.Options o = new io.restfs.node.cli.cluster.ClusterDemo.Options(work,
                    nodes, k, m, bytes, smallFiles, d.smallMaxBytes(), m, seed);
            return new io.restfs.node.cli.cluster.ClusterDemo(o, out).run() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            out.flush();
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private int run(CodecPolicy policy, Path work, long size) throws IOException {
        PrintStream out = System.out;
        SplittableRandom random = new SplittableRandom(seed);
        Path sample = work.resolve("sample.bin");
        Path recovered = work.resolve("recovered.bin");
        byte[] original = sampleBytes(Math.toIntExact(size), random);
        Files.write(sample, original);
        String originalHash = sha256Hex(original);
        out.printf(Locale.ROOT, "sample    %s: %s, sha256 %s%n", sample, mib(original.length), originalHash);
        out.printf(Locale.ROOT, "policy    %s (any %d of %d shards bring a segment back)%n", policy, k, k + m);

        BucketKey key = BucketKey.generate(new SecureRandom());
        SecureRandom ids = new SecureRandom();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, namedThreads("restfs-demo-codec"));
        long capacity = 4L * original.length + (64L << 20);
        try (ShardStore store = ShardStore.open(work.resolve("store"), capacity, Clock.systemUTC())) {
            ObjectCodec codec = new ObjectCodec(new SegmentCodec(), pool, 2 * threads);

            // Encode and store every shard; the manifest here is just the list of segments and their shard keys.
            long t0 = System.nanoTime();
            List<EncodedSegment> segments = codec.encode(original, policy, key, () -> SegmentId.random(ids));
            long t1 = System.nanoTime();
            List<List<ShardKey>> manifest = new ArrayList<>();
            for (EncodedSegment segment : segments) {
                List<ShardKey> keys = new ArrayList<>();
                for (Shard shard : segment.shards()) {
                    Sha256 hash = Sha256.of(shard.bytes());
                    ShardSpec spec = ShardSpec.contentAddressed(hash, segment.id().toHex(), shard.index(), 1);
                    store.put(spec, shard.bytes());
                    keys.add(spec.key());
                }
                manifest.add(keys);
            }
            long t2 = System.nanoTime();
            ShardStoreStats stored = store.stats();
            out.printf(Locale.ROOT, "encoded   %d segments into %d shards in %.2f s (%.0f MB/s on %d threads), stored %s in %.2f s (fsynced)%n",
                    segments.size(), stored.shardCount(), seconds(t1 - t0), mbPerSecond(original.length, t1 - t0), threads,
                    mib(stored.bytesStored()), seconds(t2 - t1));
            out.printf(Locale.ROOT, "          stored/original = %.2f (Reed-Solomon %d+%d alone is %.2f; snappy kept only where it saves 5%%)%n",
                    (double) stored.bytesStored() / Math.max(1, original.length), k, m, (double) (k + m) / k);

            // Lose m shards of every segment: deleted, except that in the first segment one is corrupted on disk.
            int deleted = 0;
            ShardKey corrupted = null;
            for (List<ShardKey> keys : manifest) {
                int[] victims = random.ints(0, keys.size()).distinct().limit(m).toArray();
                for (int v : victims) {
                    if (corrupted == null) {
                        corrupted = keys.get(v);
                        flipOneBit(work.resolve("store"), corrupted, random);
                    } else if (store.delete(keys.get(v))) {
                        deleted++;
                    }
                }
            }
            out.printf(Locale.ROOT, "lost      %d shards deleted, 1 shard (%s) corrupted on disk by a bit flip%n",
                    deleted, corrupted.hex().substring(0, 16));

            // Recover: fetch what the store still serves (hash-checked), decode, verify.
            AtomicInteger missing = new AtomicInteger();
            AtomicInteger corrupt = new AtomicInteger();
            List<SegmentShards> fetched = new ArrayList<>();
            for (int s = 0; s < segments.size(); s++) {
                List<byte[]> shards = new ArrayList<>();
                for (ShardKey shardKey : manifest.get(s)) {
                    try {
                        shards.add(store.get(shardKey));
                    } catch (ShardNotFoundException e) {
                        missing.incrementAndGet();
                    } catch (ShardCorruptException e) {
                        corrupt.incrementAndGet();
                        out.printf(Locale.ROOT, "detected  shard %s failed its hash check: quarantined, not served%n",
                                shardKey.hex().substring(0, 16));
                    }
                }
                fetched.add(new SegmentShards(segments.get(s).id(), shards));
            }
            long t3 = System.nanoTime();
            MessageDigest digest = sha256();
            try (OutputStream file = Files.newOutputStream(recovered);
                    DigestOutputStream hashing = new DigestOutputStream(file, digest)) {
                codec.decode(fetched, key, hashing);
            }
            long t4 = System.nanoTime();
            String recoveredHash = HexFormat.of().formatHex(digest.digest());
            ShardStoreStats after = store.stats();
            out.printf(Locale.ROOT, "recovered %s from %d of %d shards in %.2f s (%.0f MB/s): %d missing, %d corrupt, %d quarantined%n",
                    mib(Files.size(recovered)), after.shardCount(), stored.shardCount(), seconds(t4 - t3),
                    mbPerSecond(original.length, t4 - t3), missing.get(), corrupt.get(), after.quarantinedCount());
            boolean same = recoveredHash.equals(originalHash)
                    && Arrays.equals(Files.readAllBytes(recovered), original);
            out.printf(Locale.ROOT, "verified  sha256 %s: %s%n", recoveredHash, same ? "identical to the original" : "MISMATCH");
            return same ? 0 : 1;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Half text-like (compressible) and half random (incompressible) data, so both codec paths run. */
    static byte[] sampleBytes(int length, SplittableRandom random) {
        byte[] data = new byte[length];
        String[] words = {"segment ", "shard ", "bucket ", "object ", "restfs ", "parity ", "node ", "repair\n"};
        int half = length / 2;
        int pos = 0;
        while (pos < half) {
            byte[] w = words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(w.length, half - pos);
            System.arraycopy(w, 0, data, pos, n);
            pos += n;
        }
        byte[] noise = new byte[length - half];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, data, half, noise.length);
        return data;
    }

    /** Flips one bit of the stored shard file, as a failing disk would, behind the store's back. */
    private static void flipOneBit(Path storeDir, ShardKey key, SplittableRandom random) throws IOException {
        Path file;
        try (Stream<Path> files = Files.walk(storeDir.resolve("shards"))) {
            file = files.filter(p -> p.getFileName().toString().equals(key.hex())).findFirst()
                    .orElseThrow(() -> new IOException("shard file of " + key.hex() + " not found under " + storeDir));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = random.nextLong(ch.size());
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ (1 << random.nextInt(8))));
            b.rewind();
            ch.write(b, position);
            ch.force(true);
        }
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / Math.max(1e-9, nanos / 1e9);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("demo: could not remove " + root + ": " + e.getMessage());
        }
    }
}
