package io.restfs.node.cli.client;

import io.restfs.api.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code restfs put FILE BUCKET/PATH}: streams a local file into a new version of an object. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Store a local file as BUCKET/PATH (a new "
        + "version when it exists).")
public final class PutCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Parameters(index = "1", paramLabel = "BUCKET/PATH", description = "Where to store it; BUCKET/DIR/ keeps the "
            + "file's name.")
    String to;

    @Option(names = "--expect-version", paramLabel = "N", description = "Write only if the object is at version N "
            + "now (0: only if it does not exist).")
    Long expectVersion;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Option(names = "--json", description = "Print the stored object's attributes as JSON.")
    boolean json;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing, IOException {
        if (!Files.isRegularFile(file)) {
            throw new Usage("no such file: " + file);
        }
        Target t = target(to);
        String path = t.path().endsWith("/") ? t.path() + file.getFileName() : t.path();
        if (path.equals("/")) {
            path = "/" + file.getFileName();
        }
        long size = Files.size(file);
        long start = System.nanoTime();
        ObjectInfo info;
        try (Progress p = new Progress("put " + file.getFileName(), size, quiet, spec.commandLine().getErr())) {
            info = client().upload(t.bucket(), path, file, expectVersion, p.listener());
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        if (json) {
            out.println(json(info));
        } else {
            out.printf(java.util.Locale.ROOT, "stored %s%s version %d: %s in %d segment%s, %.1f MB/s%n", info.bucket(),
                    info.path(), info.version(), size(info.size()), info.segments(), info.segments() == 1 ? "" : "s",
                    info.size() / 1e6 / secs);
        }
        return 0;
    }
}
