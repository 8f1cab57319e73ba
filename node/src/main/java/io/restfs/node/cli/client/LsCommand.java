package io.restfs.node.cli.client;

import io.restfs.api.DirEntry;
import io.restfs.api.ObjectType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code restfs ls BUCKET[/DIR]}. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List a directory of a bucket.")
public final class LsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET[/DIR]")
    String dir;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target t = target(dir);
        List<DirEntry> entries = client().objects().listAll(t.bucket(), t.path());
        if (json) {
            out.println(json(entries));
            return 0;
        }
        for (DirEntry e : entries) {
            boolean d = e.type() == ObjectType.DIRECTORY;
            out.printf(Locale.ROOT, "%s %11s  v%-4d %s  %s%n", d ? "d" : "-", d ? "-" : size(e.size()), e.version(),
                    time(e.mtimeMillis()), e.name() + (d ? "/" : ""));
        }
        return 0;
    }
}
