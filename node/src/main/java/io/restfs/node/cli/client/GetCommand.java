package io.restfs.node.cli.client;

import io.restfs.api.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code restfs get BUCKET/PATH [FILE]}: streams an object version into a local file, checking its SHA-256. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Fetch BUCKET/PATH into FILE (default: its "
        + "name, in the current directory); the SHA-256 is checked before the file is replaced (where the node knows "
        + "it: not for a version written segment by segment).")
public final class GetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/PATH")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE")
    Path file;

    @Option(names = "--version", paramLabel = "N", description = "An older version (default: the newest).")
    Long version;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing, IOException {
        Target t = target(from);
        if (t.path().equals("/")) {
            throw new Usage("give the object's path: BUCKET/PATH");
        }
        Path dest = file != null ? file : Path.of(t.path().substring(t.path().lastIndexOf('/') + 1));
        if (Files.isDirectory(dest)) {
            dest = dest.resolve(t.path().substring(t.path().lastIndexOf('/') + 1));
        }
        var client = client();
        ObjectInfo info = client.objects().stat(t.bucket(), t.path(), version);
        long start = System.nanoTime();
        try (Progress p = new Progress("get " + dest.getFileName(), info.size(), quiet, spec.commandLine().getErr())) {
            info = client.download(t.bucket(), t.path(), info.version(), dest, p.listener());
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        // A version written segment by segment has no whole-file hash to check against (see SegmentApi.put).
        out.printf(java.util.Locale.ROOT, "fetched %s%s version %d into %s: %s, %s, %.1f MB/s%n",
                info.bucket(), info.path(), info.version(), dest, size(info.size()),
                info.sha256().isEmpty() ? "no whole-file SHA-256 to check" : "SHA-256 verified",
                info.size() / 1e6 / secs);
        return 0;
    }
}
