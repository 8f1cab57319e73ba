package io.restfs.node.cli.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs cluster demo}: the cluster demo ({@link ClusterDemo}) from the command line. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start 6 node processes, store a 256 MiB file and 100 small files in a 4+2 bucket, kill 2",
            "nodes with SIGKILL, read everything back through a survivor and verify SHA-256. Exits 0 only if",
            "everything verified."})
public final class ClusterDemoCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Working folder, kept (default: temporary, removed).")
    Path dir;

    @Option(names = "--size", defaultValue = "256m", paramLabel = "SIZE",
            description = "Size of the large file (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--small-files", defaultValue = "100", description = "Small files (default ${DEFAULT-VALUE}).")
    int smallFiles;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean temporary = dir == null;
        try {
            Path work = temporary ? Files.createTempDirectory("restfs-cluster-demo-") : Files.createDirectories(dir);
            try {
                ClusterDemo.Options d = ClusterDemo.Options.defaults(work);
                ClusterDemo.Options o = new ClusterDemo.Options(work, d.nodes(), d.k(), d.m(),
                        io.restfs.node.cli.InitCommand.parseSize(size), smallFiles, d.smallMaxBytes(), d.kill(),
                        d.seed());
                return new ClusterDemo(o, out).run() ? 0 : 1;
            } finally {
                if (temporary) {
                    deleteTree(work);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("restfs demo: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("restfs demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
