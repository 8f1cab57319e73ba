package io.restfs.node.cli.client;

import io.restfs.api.ClusterStatus;
import io.restfs.api.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/** {@code restfs cluster status}: the cluster as the node behind the API sees it. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the cluster's members, capacity and "
        + "health as one node sees them.")
public final class ClusterStatusCommand extends ClientCommand {
    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    int execute(PrintWriter out) throws Usage, ClientSettings.Missing {
        ClusterStatus s = client().cluster().status();
        if (json) {
            out.println(json(s));
            return 0;
        }
        out.println("node      " + s.nodeId());
        out.println("members   " + s.members().size());
        out.println("capacity  " + size(s.capacityBytes()) + ", free " + size(s.freeBytes()) + ", shards "
                + s.shardCount());
        out.printf(Locale.ROOT, "%-16s %-8s %-10s %-22s %11s %11s  %s%n", "NODE", "STATE", "GROUP", "API", "CAPACITY",
                "FREE", "LAST SEEN");
        for (Member m : s.members()) {
            String id = m.nodeId().length() > 16 ? m.nodeId().substring(0, 16) : m.nodeId();
            out.printf(Locale.ROOT, "%-16s %-8s %-10s %-22s %11s %11s  %s%n", id, m.state(), m.group(), m.apiUrl(),
                    size(m.capacityBytes()), size(m.freeBytes()), time(m.lastSeenMillis()));
        }
        return 0;
    }
}
