package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.node.DhtConfig;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.UdpDht;
import io.restfs.dht.rpc.RpcTimeouts;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the client subcommands share: a short-lived, read-only DHT node of their own (fresh key, any free UDP port,
 * state in memory) that joins through the given contacts, an overall deadline, and one-line errors with exit codes instead
 * of stack traces.
 */
abstract class DhtClientCommand implements Callable<Integer> {
    /**
     * A client gives an unmeasured peer 1 s and three tries (1 + 2 + 4 s), so an unreachable peer is reported in
     * about 7 s; a running node keeps the engine's longer defaults for slow Mainline peers.
     */
    static final RpcTimeouts CLIENT_TIMEOUTS = new RpcTimeouts(1_000, 250, 4_000, 3);

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--verbose", description = "Show the DHT node's log lines on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private long deadlineNanos;

    @Override
    public final Integer call() {
        if (!verbose) {
            // The client's own node would log its start and contacts; the result is what the user asked for.
            System.setProperty("org.slf4j.simpleLogger.log.io.restfs.dht", "warn");
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (timeoutSeconds < 1) {
                throw CliFailure.badInput("--timeout must be at least 1 second");
            }
            deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            return execute(spec.commandLine().getOut());
        } catch (CliFailure f) {
            err.println(commandName() + ": " + f.getMessage());
            return f.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(commandName() + ": interrupted");
            return CliFailure.FAILED;
        } catch (IOException | RuntimeException e) {
            err.println(commandName() + ": " + oneLine(e));
            return CliFailure.FAILED;
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    /** Does the work and prints the result to {@code out}; returns the exit code. */
    abstract int execute(PrintWriter out) throws CliFailure, IOException, InterruptedException;

    final String commandName() {
        return spec.qualifiedName();
    }

    /**
     * Starts the client's node on a free UDP port of every interface. It is read-only (BEP 43): its queries carry
     * "ro": 1, so the nodes it asks do not add it to their routing tables, where it would linger as a dead entry
     * once the command exits and make later lookups wait out timeouts on it.
     */
    final UdpDht openClient() throws IOException {
        DhtConfig config = DhtConfig.defaults().withTimeouts(CLIENT_TIMEOUTS).withReadOnly(true);
        return UdpDht.open(config, Ed25519KeyPair.generate(new SecureRandom()), new InetSocketAddress(0),
                Optional.empty());
    }

    /**
     * Pings every contact so they seed the client's routing table; fails when none answers. Pinging instead of a
     * full bootstrap keeps a lookup's hops counted from these contacts.
     */
    final List<NodeId> join(DhtNode node, List<InetSocketAddress> contacts) throws CliFailure, InterruptedException {
        if (contacts.isEmpty()) {
            throw CliFailure.badInput("give at least one --bootstrap HOST:PORT");
        }
        List<CompletableFuture<NodeId>> pings = new ArrayList<>();
        for (InetSocketAddress a : contacts) {
            pings.add(node.ping(a));
        }
        List<NodeId> answered = new ArrayList<>();
        String lastError = "";
        for (CompletableFuture<NodeId> p : pings) {
            try {
                answered.add(await(p, "bootstrap ping"));
            } catch (CliFailure f) {
                lastError = f.getMessage();
            }
        }
        if (answered.isEmpty()) {
            throw CliFailure.failed("no bootstrap node answered (" + lastError + ")");
        }
        return answered;
    }

    /** Waits for {@code f} until the command's deadline; failures become one-line {@link CliFailure}s. */
    final <T> T await(CompletableFuture<T> f, String what) throws CliFailure, InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        try {
            return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw CliFailure.failed(what + " did not finish within --timeout " + timeoutSeconds + " s");
        } catch (ExecutionException e) {
            throw CliFailure.failed(oneLine(e.getCause() == null ? e : e.getCause()));
        }
    }

    final ObjectNode jsonObject() {
        return new ObjectMapper().createObjectNode();
    }

    final void printJson(PrintWriter out, ObjectNode node) {
        try {
            out.println(new ObjectMapper().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Longest error message shown; libraries sometimes put a whole stack dump into one. */
    static final int MAX_MESSAGE_CHARS = 200;

    /** The exception's message on one line, cut where a library starts appending diagnostics. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        m = (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replace('\n', ' ').strip();
        int dump = m.indexOf("  ");
        if (dump > 0) {
            m = m.substring(0, dump);
        }
        return m.length() <= MAX_MESSAGE_CHARS ? m : m.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
