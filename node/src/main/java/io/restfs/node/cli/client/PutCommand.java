package io.restfs.node.cli.client;

import io.restfs.api.Limits;
import io.restfs.api.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code restfs put FILE BUCKET/PATH}: streams a local file into a new version of an object, or with {@code --segment}
 * writes it as one segment of the object ({@code segment.put}).
 */
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

    @Option(names = "--segment", paramLabel = "N", description = "Write FILE as segment N of the existing object "
            + "instead (N = its segment count appends): a new version that keeps the other segments as stored. FILE "
            + "holds one segment: the bucket's segment size, or less for the last one.")
    Integer segment;

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
        if (segment != null) {
            return putSegment(out, t.bucket(), path, size);
        }
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

    private int putSegment(PrintWriter out, String bucket, String path, long size) throws Usage, ClientSettings.Missing,
            IOException {
        if (size > Limits.MAX_INLINE_BODY_BYTES) {
            throw new Usage(file + " is " + size(size) + ", more than one segment can be (at most "
                    + size(Limits.MAX_INLINE_BODY_BYTES) + ")");
        }
        ObjectInfo info = client().segments().put(bucket, path, segment, Files.readAllBytes(file), expectVersion);
        if (json) {
            out.println(json(info));
        } else {
            out.printf(java.util.Locale.ROOT, "stored segment %d of %s%s version %d: %s in %d segment%s%n", segment,
                    info.bucket(), info.path(), info.version(), size(info.size()), info.segments(),
                    info.segments() == 1 ? "" : "s");
        }
        return 0;
    }
}
