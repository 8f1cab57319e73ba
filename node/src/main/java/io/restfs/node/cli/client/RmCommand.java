package io.restfs.node.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code restfs rm BUCKET/PATH}. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a file (its versions stay listed) or "
        + "an empty directory.")
public final class RmCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/PATH")
    String target;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target t = target(target);
        if (t.path().equals("/")) {
            throw new Usage("give a path inside the bucket (to delete the bucket: restfs bucket rm NAME)");
        }
        client().objects().delete(t.bucket(), t.path());
        out.println("deleted " + t);
        return 0;
    }
}
