package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restfs dht ping HOST:PORT}: one KRPC ping, printing the peer's id and the round-trip time. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ping a DHT node (any Mainline node) and print its id and the round-trip time.")
final class DhtPingCommand extends DhtClientCommand {
    /** More pings than this is a load test, not a ping. */
    static final int MAX_COUNT = 1000;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The node to ping.")
    String peer;

    @Option(names = "--count", defaultValue = "3", paramLabel = "N",
            description = "Pings to send, one after another (default ${DEFAULT-VALUE}); the first includes the "
                    + "JVM's warm-up, so later ones show the network.")
    int count;

    @Override
    int execute(PrintWriter out) throws CliFailure, IOException, InterruptedException {
        InetSocketAddress address = Inputs.hostPort(peer);
        if (count < 1 || count > MAX_COUNT) {
            throw CliFailure.badInput("--count must be 1-" + MAX_COUNT);
        }
        String where = address.getAddress().getHostAddress() + ":" + address.getPort();
        try (UdpDht client = openClient()) {
            NodeId id = null;
            List<Double> rtts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                NodeId answered = await(client.node().ping(address), "ping");
                double rttMillis = (System.nanoTime() - start) / 1e6;
                if (id != null && !id.equals(answered)) {
                    throw CliFailure.failed(where + " answered as " + id.toHex() + ", then as " + answered.toHex());
                }
                id = answered;
                rtts.add(rttMillis);
                if (!json) {
                    out.printf(Locale.ROOT, "pong from %s at %s in %.2f ms%n", id.toHex(), where, rttMillis);
                    out.flush();
                }
            }
            double min = rtts.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            if (json) {
                ObjectNode o = jsonObject();
                o.put("id", id.toHex());
                o.put("address", where);
                o.put("rtt_ms", round(rtts.get(rtts.size() - 1)));
                o.put("rtt_min_ms", round(min));
                ArrayNode all = o.putArray("rtts_ms");
                rtts.forEach(r -> all.add(round(r)));
                printJson(out, o);
            } else if (count > 1) {
                out.printf(Locale.ROOT, "%d pongs, round-trip min %.2f ms%n", count, min);
            }
            return 0;
        }
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
