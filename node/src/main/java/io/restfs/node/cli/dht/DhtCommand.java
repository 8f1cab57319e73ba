package io.restfs.node.cli.dht;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code restfs dht}: run a DHT node, or talk to a running DHT (ping, lookup, put, get) as a short-lived client. */
@Command(
        name = "dht",
        mixinStandardHelpOptions = true,
        description = "Run a DHT node or query the DHT (Mainline KRPC with BEP 44 items).",
        subcommands = {
            DhtServeCommand.class,
            DhtPingCommand.class,
            DhtLookupCommand.class,
            DhtPutCommand.class,
            DhtGetCommand.class,
        })
public final class DhtCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
