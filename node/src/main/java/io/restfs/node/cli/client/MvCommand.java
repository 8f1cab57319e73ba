package io.restfs.node.cli.client;

import io.restfs.api.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code restfs mv BUCKET/FROM BUCKET/TO}: a rename inside one bucket. */
@Command(name = "mv", mixinStandardHelpOptions = true, description = "Move a file or an empty directory within a "
        + "bucket; the target must not exist.")
public final class MvCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/FROM")
    String from;

    @Parameters(index = "1", paramLabel = "BUCKET/TO|/TO", description = "The new path, in the same bucket.")
    String to;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target f = target(from);
        Target t = to.startsWith("/") ? new Target(f.bucket(), to) : target(to);
        if (!t.bucket().equals(f.bucket())) {
            throw new Usage("mv works within one bucket; copy across buckets with get and put");
        }
        if (f.path().equals("/") || t.path().equals("/")) {
            throw new Usage("give paths inside the bucket");
        }
        ObjectInfo info = client().objects().rename(f.bucket(), f.path(), t.path());
        out.println("moved " + f + " to " + info.bucket() + info.path());
        return 0;
    }
}
