package io.restfs.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code restfs} command line: one picocli command with a subcommand per job. */
@Command(
        name = "restfs",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Peer-to-peer storage: encrypted, erasure-coded, spread over machines you control.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            io.restfs.node.cli.dht.DhtCommand.class,
            SimCommand.class,
            InitCommand.class,
            NodeCommand.class,
            io.restfs.node.cli.client.BucketCommand.class, io.restfs.node.cli.client.PutCommand.class, io.restfs.node.cli.client.GetCommand.class, io.restfs.node.cli.client.LsCommand.class, io.restfs.node.cli.client.RmCommand.class, io.restfs.node.cli.client.MvCommand.class, io.restfs.node.cli.client.StatCommand.class, io.restfs.node.cli.client.VersionsCommand.class, io.restfs.node.cli.client.TokenCommand.class,
            io.restfs.node.cli.cluster.ClusterCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting; tests call this. */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"restfs " + (v == null ? "development build" : v)};
        }
    }
}
