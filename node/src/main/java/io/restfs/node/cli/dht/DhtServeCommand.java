package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.UdpDht;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code restfs dht serve}: a routing-only DHT node (it serves no shards) that runs until SIGINT or SIGTERM, then
 * saves its routing table and items and stops.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run a routing-only DHT node until interrupted (Ctrl-C or SIGTERM), then save its state.",
            "With --state DIR the node keeps its key (DIR/node.key, 0600), routing table and items there."})
final class DhtServeCommand implements Callable<Integer> {
    /** File name of the node's Ed25519 key inside --state. */
    static final String KEY_FILE = "node.key";
    /** Subdirectory of --state holding the Xodus store of routing table and items. */
    static final String STATE_SUBDIR = "dht";
    /** A join that has not finished in this long will not: the node serves anyway and others may find it. */
    static final long BOOTSTRAP_WAIT_SECONDS = 60;

    @Option(names = "--port", required = true, paramLabel = "P", description = "UDP port to listen on (0: any free).")
    String port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDR",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "A node to join through (repeatable).")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--state", paramLabel = "DIR",
            description = "Directory for the key, routing table and items (default: a new key, state in memory).")
    Path state;

    @Option(names = "--json", description = "Print one JSON object (id and address) at start instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        try {
            InetSocketAddress address = new InetSocketAddress(Inputs.bindAddress(bind), Inputs.port(port, port));
            var contacts = Inputs.hostPorts(bootstrap);
            Ed25519KeyPair key = state == null ? Ed25519KeyPair.generate(new SecureRandom())
                    : Ed25519KeyFile.loadOrCreate(state.resolve(KEY_FILE), new SecureRandom());
            UdpDht dht = open(key, address);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                err.println(name + ": stopping " + dht.node().id().toHex()
                        + (state == null ? "" : ", saving state in " + state));
                err.flush();
                dht.close();
                err.println(name + ": stopped");
                err.flush();
                stopped.countDown();
            }, "restfs-dht-serve-shutdown"));
            printStart(out, dht.node());
            if (!contacts.isEmpty()) {
                join(dht.node(), contacts, err, name);
            }
            stopped.await();
            return 0;
        } catch (CliFailure f) {
            err.println(name + ": " + f.getMessage());
            return f.exitCode();
        } catch (IOException | RuntimeException e) {
            err.println(name + ": " + DhtClientCommand.oneLine(e));
            return CliFailure.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CliFailure.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private UdpDht open(Ed25519KeyPair key, InetSocketAddress address) throws IOException, CliFailure {
        try {
            // A full node, unlike the client commands' read-only ones: it answers queries, and others keep it.
            return UdpDht.open(DhtConfig.defaults(), key, address,
                    Optional.ofNullable(state).map(s -> s.resolve(STATE_SUBDIR)));
        } catch (IOException e) {
            throw CliFailure.failed("cannot start the node on UDP " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + ": " + DhtClientCommand.oneLine(e));
        } catch (RuntimeException e) {
            if (state == null) {
                throw e;
            }
            // Xodus refuses a store another process holds, or one it cannot read.
            throw CliFailure.failed("cannot open the node state in " + state.resolve(STATE_SUBDIR)
                    + " (is another node running on it?): " + DhtClientCommand.oneLine(e));
        }
    }

    private void printStart(PrintWriter out, DhtNode node) throws IOException {
        InetSocketAddress a = node.localAddress();
        String addr = a.getAddress().getHostAddress() + ":" + a.getPort();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("id", node.id().toHex());
            o.put("address", addr);
            o.put("port", a.getPort());
            if (state != null) {
                o.put("state", state.toString());
            }
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.println("dht node " + node.id().toHex() + " listening on " + addr);
        }
        out.flush();
    }

    /** Joins through the contacts; a failed join is reported, not fatal: a routing node can be found later. */
    private static void join(DhtNode node, List<InetSocketAddress> contacts, PrintWriter err, String name)
            throws InterruptedException {
        try {
            int size = node.bootstrap(contacts).get(BOOTSTRAP_WAIT_SECONDS, TimeUnit.SECONDS);
            err.println(name + ": joined through " + contacts.size() + " contact(s); " + size
                    + " nodes in the routing table");
        } catch (ExecutionException e) {
            err.println(name + ": join failed, serving anyway: "
                    + DhtClientCommand.oneLine(e.getCause() == null ? e : e.getCause()));
        } catch (TimeoutException e) {
            err.println(name + ": join did not finish in " + BOOTSTRAP_WAIT_SECONDS + " s, serving anyway");
        }
        err.flush();
    }
}
