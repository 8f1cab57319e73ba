package io.restfs.node.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.node.cli.InitCommand;
import io.restfs.node.config.RuntimeInfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs cluster up}: N node processes on loopback, joined, with an admin token, until Ctrl-C or down. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a local cluster: N node processes on loopback in DIR (made on first use, reused after:",
            "same keys, ports and data), wait until all have joined, create an admin token, print the API URL and",
            "the token, write DIR/client.toml for client commands, and keep running until Ctrl-C or",
            "restfs cluster down --dir DIR."})
public final class ClusterUpCommand implements Callable<Integer> {
    /** Six JVMs starting Tomcat on two busy cores take tens of seconds; a minute means something is wrong. */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);

    @Option(names = "--nodes", defaultValue = "3", paramLabel = "N", description = "Nodes (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The cluster's folder.")
    Path dir;

    @Option(names = "--capacity", defaultValue = "10g", paramLabel = "SIZE",
            description = "Shard capacity of each new node (default ${DEFAULT-VALUE}).")
    String capacity;

    @Option(names = "--json", description = "Print one JSON object: url, token, clientConfig, nodes.")
    boolean json;

    @Option(names = "--detach", description = "Return once the cluster is up, leaving the nodes running.")
    boolean detach;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = "restfs cluster up";
        if (count < 1 || count > 64) {
            err.println(name + ": --nodes must be 1..64");
            err.flush();
            return 2;
        }
        LocalCluster cluster = new LocalCluster(dir);
        List<LocalCluster.Node> nodes = List.of();
        try {
            if (!cluster.running().isEmpty()) {
                err.println(name + ": a cluster is already running in " + cluster.dir() + " (pids "
                        + cluster.running().stream().map(p -> Long.toString(p.pid())).toList()
                        + "); stop it with: restfs cluster down --dir " + dir);
                err.flush();
                return 1;
            }
            List<Path> existing = cluster.nodeDirs();
            if (!existing.isEmpty() && existing.size() != count) {
                err.println(name + ": " + cluster.dir() + " holds " + existing.size() + " nodes; "
                        + (existing.size() < count ? "adding " + (count - existing.size()) : "starting all of them"));
            }
            List<Path> dirs = cluster.init(Math.max(count, existing.size()), InitCommand.parseSize(capacity));
            nodes = cluster.start(dirs);
            List<LocalCluster.Node> started = nodes;
            Thread stopper = new Thread(() -> LocalCluster.stop(
                    started.stream().map(n -> n.process().toHandle()).toList(), LocalCluster.DEFAULT_GRACE),
                    "restfs-cluster-up-stop");
            if (!detach) {
                Runtime.getRuntime().addShutdownHook(stopper);
            }
            Optional<String> missing = cluster.awaitJoined(nodes, JOIN_TIMEOUT);
            if (missing.isPresent()) {
                err.println(name + ": the nodes did not all join in " + JOIN_TIMEOUT.toSeconds() + " s: "
                        + missing.get() + "; logs are in " + cluster.dir() + "/node*/node.log");
                err.flush();
                if (detach) {
                    stopper.run();
                }
                return 1;
            }
            RuntimeInfo first = nodes.get(0).runtime().orElseThrow();
            String token = cluster.adminToken(dirs);
            Path client = cluster.writeClientConfig(first.apiUrl(), token);
            print(out, first.apiUrl(), token, client, nodes);
            out.flush();
            if (detach) {
                return 0;
            }
            for (LocalCluster.Node n : nodes) {
                n.process().waitFor();
            }
            err.println(name + ": all nodes stopped");
            err.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            LocalCluster.stop(nodes.stream().map(n -> n.process().toHandle()).toList(), LocalCluster.DEFAULT_GRACE);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void print(PrintWriter out, String url, String token, Path client, List<LocalCluster.Node> nodes)
            throws IOException {
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("url", url);
            o.put("token", token);
            o.put("clientConfig", client.toString());
            ArrayNode arr = o.putArray("nodes");
            for (LocalCluster.Node n : nodes) {
                RuntimeInfo r = n.runtime().orElseThrow();
                arr.addObject().put("name", n.name()).put("nodeId", r.nodeId()).put("url", r.apiUrl())
                        .put("pid", r.pid());
            }
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.println("cluster of " + nodes.size() + " nodes up in " + dir);
            for (LocalCluster.Node n : nodes) {
                RuntimeInfo r = n.runtime().orElseThrow();
                out.println("  " + n.name() + "  " + r.nodeId() + "  " + r.apiUrl() + "  pid " + r.pid());
            }
            out.println("API:    " + url + "  (status page: " + url + "/)");
            out.println("token:  " + token + "  (admin)");
            out.println("client commands use " + client + "; stop with Ctrl-C or: restfs cluster down --dir " + dir);
        }
    }
}
