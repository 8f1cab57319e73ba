package io.restfs.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.node.config.ConfigException;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.config.NodeConfigFile;
import io.restfs.node.daemon.NodeDaemon;
import io.restfs.node.daemon.NodeStartException;
import io.restfs.node.daemon.ServingNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restfs node}: runs a node until SIGTERM or Ctrl-C, then leaves the cluster and stops cleanly. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run a node (DHT, shard store and transfer, HTTP API, discovery) until interrupted.",
            "Create its folder first with: restfs init --dir DIR"})
public final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", defaultValue = NodeConfig.FILE_NAME, paramLabel = "FILE",
            description = "The node's configuration (default ./${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object (the runtime info) once serving.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig cfg;
        try {
            cfg = NodeConfigFile.load(config);
        } catch (ConfigException e) {
            err.println("restfs node: " + e.getMessage());
            err.flush();
            return InitCommand.USAGE;
        }
        NodeDaemon daemon;
        try {
            daemon = ServingNode.start(cfg);
        } catch (NodeStartException e) {
            err.println("restfs node: " + e.getMessage());
            err.flush();
            return InitCommand.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "restfs-node-shutdown"));
        try {
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(daemon.runtime()));
            } else {
                out.println("node " + daemon.nodeId().toHex() + " serving at " + daemon.runtime().apiUrl()
                        + " (status page there; stop with Ctrl-C)");
            }
        } catch (IOException e) {
            err.println("restfs node: " + e.getMessage());
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return InitCommand.OK;
    }
}
