package io.restfs.node.cli.cluster;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code restfs cluster}: a local cluster of node processes in one folder. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Run a local cluster of node processes on loopback: up, down, status.",
        subcommands = {ClusterUpCommand.class, ClusterDownCommand.class, io.restfs.node.cli.client.ClusterStatusCommand.class})
public final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
