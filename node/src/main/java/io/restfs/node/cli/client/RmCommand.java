package io.restfs.node.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code restfs rm BUCKET/PATH [--version N]}. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a file (its versions stay listed) or "
        + "an empty directory; with --version N, delete that old version of a file for good and free its space.")
public final class RmCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/PATH")
    String target;

    @Option(names = "--version", paramLabel = "N", description = "Delete only this old version (see versions); the "
            + "newest cannot be deleted: rm the file or write a new version first.")
    Long version;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target t = target(target);
        if (t.path().equals("/")) {
            throw new Usage("give a path inside the bucket (to delete the bucket: restfs bucket rm NAME)");
        }
        if (version != null) {
            client().objects().deleteVersion(t.bucket(), t.path(), version);
            out.println("deleted version " + version + " of " + t);
            return 0;
        }
        client().objects().delete(t.bucket(), t.path());
        out.println("deleted " + t);
        return 0;
    }
}
