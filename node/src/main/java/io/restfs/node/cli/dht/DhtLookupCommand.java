package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restfs dht lookup HEX_ID}: an iterative find_node lookup, printing the k closest nodes found. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = {"Find the k nodes closest to an id and print them, with hops and time.",
            "Hops: the longest chain of referrals from the bootstrap contacts (hop 1) to a node among the k."})
final class DhtLookupCommand extends DhtClientCommand {
    @Parameters(index = "0", paramLabel = "HEX_ID", description = "The id to look up: 40 hex digits.")
    String target;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "A node to start from (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Override
    int execute(PrintWriter out) throws CliFailure, IOException, InterruptedException {
        NodeId id = Inputs.nodeId(target, "node id");
        var contacts = Inputs.hostPorts(bootstrap);
        try (UdpDht client = openClient()) {
            join(client.node(), contacts);
            long start = System.nanoTime();
            LookupResult r = await(client.node().lookup(id), "lookup");
            double millis = (System.nanoTime() - start) / 1e6;
            if (r.closest().isEmpty()) {
                throw CliFailure.failed("lookup of " + id.toHex() + " found no node that answered");
            }
            if (json) {
                ObjectNode o = jsonObject();
                o.put("target", id.toHex());
                o.put("hops", r.hops());
                o.put("time_ms", Math.round(millis * 1000) / 1000.0);
                o.put("queries", r.queriesSent());
                o.put("responses", r.responses());
                o.put("unanswered", r.timeouts());
                ArrayNode nodes = o.putArray("nodes");
                for (LookupResult.Answered a : r.closest()) {
                    nodes.addObject().put("id", a.node().id().toHex())
                            .put("address", a.node().address().getAddress().getHostAddress() + ":"
                                    + a.node().address().getPort())
                            .put("hop", a.hop());
                }
                printJson(out, o);
            } else {
                out.printf(Locale.ROOT, "%d closest nodes to %s: %d hops, %.1f ms, %d queries (%d unanswered)%n",
                        r.closest().size(), id.toHex(), r.hops(), millis, r.queriesSent(), r.timeouts());
                for (LookupResult.Answered a : r.closest()) {
                    out.printf(Locale.ROOT, "  %s  %-21s  hop %d%n", a.node().id().toHex(),
                            a.node().address().getAddress().getHostAddress() + ":" + a.node().address().getPort(),
                            a.hop());
                }
            }
            return 0;
        }
    }
}
