package io.restfs.node.rpc;

import io.restfs.api.BucketPolicy;
import io.restfs.api.client.RestfsClient;
import io.restfs.api.client.TransferListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput of the API layer alone (run by hand, not a test): streamed PUT and GET of one object through Tomcat, the
 * servlets and the Java client on loopback, over the in-memory store, so the figure is what the layer costs on top
 * of storage. Usage: {@code ApiStreamBenchmark [MiB] [rounds]}.
 */
public final class ApiStreamBenchmark {
    private ApiStreamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("api-bench");
        try (ApiFixture fx = new ApiFixture(dir)) {
            RestfsClient c = fx.admin();
            c.buckets().create("bench", BucketPolicy.defaults());
            byte[] data = new byte[mib << 20];
            new Random(1).nextBytes(data);
            Path src = Files.write(dir.resolve("src"), data);
            Path dst = dir.resolve("dst");
            double bestPut = 0;
            double bestGet = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                c.upload("bench", "/obj", src, null, TransferListener.NONE);
                long t1 = System.nanoTime();
                c.download("bench", "/obj", null, dst, TransferListener.NONE);
                long t2 = System.nanoTime();
                bestPut = Math.max(bestPut, data.length / 1e6 / ((t1 - t0) / 1e9));
                bestGet = Math.max(bestGet, data.length / 1e6 / ((t2 - t1) / 1e9));
            }
            // The same GET with the body dropped as it arrives: what plain HTTP costs, for comparison.
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            double bestRaw = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(fx.uri().resolve("/o/bench/obj"))
                        .header("Authorization", "Bearer " + fx.adminToken).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                bestRaw = Math.max(bestRaw, data.length / 1e6 / ((System.nanoTime() - t0) / 1e9));
            }
            System.out.printf(Locale.ROOT, "api streams, %d MiB object, best of %d: put %.0f MB/s, get %.0f MB/s"
                    + " (to a file, SHA-256 checked), raw GET %.0f MB/s (body dropped)%n", mib, rounds, bestPut, bestGet,
                    bestRaw);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
