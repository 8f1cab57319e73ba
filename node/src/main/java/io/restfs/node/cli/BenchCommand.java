package io.restfs.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the benchmarks; each measures against a reference taken in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark (codec, dht, ...) and print its figures.",
        subcommands = {
            BenchCodecCommand.class,
            BenchDhtCommand.class,
            BenchClusterCommand.class,
        })
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
