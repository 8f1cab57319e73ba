package io.restfs.node.cli.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs cluster down}: stops the node processes a {@code cluster up} recorded in the folder. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop a local cluster's node processes: SIGTERM, then SIGKILL after the grace period.")
public final class ClusterDownCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The cluster's folder.")
    Path dir;

    @Option(names = "--grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds each node gets to leave cleanly before SIGKILL (default ${DEFAULT-VALUE}).")
    long graceSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            LocalCluster cluster = new LocalCluster(dir);
            if (!Files.exists(cluster.dir().resolve(LocalCluster.STATE_FILE))) {
                err.println("restfs cluster down: no cluster in " + cluster.dir() + " (no " + LocalCluster.STATE_FILE
                        + ")");
                return 1;
            }
            List<ProcessHandle> running = cluster.running();
            int killed = LocalCluster.stop(running, Duration.ofSeconds(Math.max(0, graceSeconds)));
            long left = running.stream().filter(ProcessHandle::isAlive).count();
            out.println("stopped " + (running.size() - left) + " node process(es) in " + cluster.dir()
                    + (killed > 0 ? " (" + killed + " killed after " + graceSeconds + " s)" : ""));
            if (left > 0) {
                err.println("restfs cluster down: " + left + " process(es) would not stop");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println("restfs cluster down: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
