package io.restfs.node.cli.client;

import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectType;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;
import io.restfs.api.client.RestfsClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code restfs stat BUCKET/PATH}: attributes, then every segment and where each of its shards lives. */
@Command(name = "stat", mixinStandardHelpOptions = true, description = "Show an object's attributes, its segments "
        + "and the node holding each shard.")
public final class StatCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "BUCKET/PATH")
    String target;

    @Option(names = "--version", paramLabel = "N", description = "An older version (default: the newest).")
    Long version;

    @Option(names = "--json", description = "Print {object, segments} as JSON.")
    boolean json;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        Target t = target(target);
        RestfsClient client = client();
        ObjectInfo info = client.objects().stat(t.bucket(), t.path(), version);
        List<SegmentInfo> segments = info.type() == ObjectType.FILE && info.size() > 0
                ? client.segments().locations(t.bucket(), t.path(), info.version()) : List.of();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("object", info);
            m.put("segments", segments);
            out.println(json(m));
            return 0;
        }
        out.println("object    " + info.bucket() + info.path());
        out.println("type      " + info.type().name().toLowerCase(Locale.ROOT));
        out.println("size      " + size(info.size()) + " (" + info.size() + " bytes)");
        out.println("version   " + info.version());
        out.println("modified  " + time(info.mtimeMillis()));
        out.printf(Locale.ROOT, "mode      %o, owner %s%n", info.mode(), info.owner());
        if (info.type() == ObjectType.FILE) {
            out.println("sha256    " + (info.sha256().isEmpty() ? NO_HASH : info.sha256()));
            out.println("segments  " + info.segments());
        }
        for (SegmentInfo s : segments) {
            out.printf(Locale.ROOT, "segment %d  offset %d  %s  id %s%n", s.index(), s.offset(), size(s.length()),
                    s.segmentId());
            for (ShardLocation sh : s.shards()) {
                out.printf(Locale.ROOT, "  shard %-2d on %s  %s  group %s  sha256 %s%n", sh.index(),
                        abbreviate(sh.nodeId()), sh.address(), sh.group(), abbreviate(sh.sha256()));
            }
        }
        return 0;
    }

    private static String abbreviate(String hex) {
        return hex == null || hex.length() <= 16 ? String.valueOf(hex) : hex.substring(0, 16);
    }
}
