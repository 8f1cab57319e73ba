package io.restfs.node.cli.client;

import io.restfs.api.ObjectVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code restfs versions BUCKET/PATH}. */
@Command(name = "versions", mixinStandardHelpOptions = true, description = "List an object's versions, newest "
        + "first; fetch one with get --version N.")
public final class VersionsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/PATH")
    String target;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target t = target(target);
        List<ObjectVersion> versions = client().objects().versionsAll(t.bucket(), t.path());
        if (json) {
            out.println(json(versions));
            return 0;
        }
        out.printf(Locale.ROOT, "%-8s %11s  %-20s  %s%n", "VERSION", "SIZE", "MODIFIED", "SHA-256");
        for (ObjectVersion v : versions) {
            out.printf(Locale.ROOT, "%-8d %11s  %-20s  %s%n", v.version(), v.deleted() ? "-" : size(v.size()),
                    time(v.mtimeMillis()), v.deleted() ? "(deleted)" : v.sha256().isEmpty() ? NO_HASH : v.sha256());
        }
        return 0;
    }
}
