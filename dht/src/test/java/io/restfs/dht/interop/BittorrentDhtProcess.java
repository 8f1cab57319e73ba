package io.restfs.dht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.id.NodeId;
import org.junit.jupiter.api.Assertions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js child process running {@code src/test/js/peer.js}: bittorrent-dht nodes on 127.0.0.1, commanded with
 * one JSON line per command and answering one JSON line each. Closing it ends the process.
 */
final class BittorrentDhtProcess implements AutoCloseable {
    /** Every peer.js command finishes within a few seconds on loopback (its lookups run over a handful of nodes). */
    static final long ANSWER_WAIT_SECONDS = 20;
    private static final String INSTALL_HINT = "install Node.js (node on PATH) and run `npm ci` in dht/src/test/js";

    /** A bittorrent-dht node started by the process: its index there, id and UDP address. */
    record JsNode(int index, NodeId id, InetSocketAddress address) {
        int port() {
            return address.getPort();
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path stderrLog;
    private final Thread reader;

    private BittorrentDhtProcess(Process process, Path stderrLog) {
        this.process = process;
        this.stderrLog = stderrLog;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // The process ended; a pending command sees no answer and fails with the stderr log.
            }
        }, "bittorrent-dht-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The directory holding peer.js and its node_modules. Surefire runs tests in the module directory; the
     * repository root comes from RESTFS_REPO_ROOT when set.
     */
    static Path scriptDir() {
        String root = System.getenv("RESTFS_REPO_ROOT");
        Path fromRoot = root == null ? null : Path.of(root, "dht", "src", "test", "js");
        if (fromRoot != null && Files.isRegularFile(fromRoot.resolve("peer.js"))) {
            return fromRoot;
        }
        return Path.of("src", "test", "js").toAbsolutePath();
    }

    /**
     * Why the interoperability test cannot run here (Node.js or the npm packages missing), or empty when it can.
     * On CI (CI=true) a missing piece is a failure, not a reason to skip: the proof must not silently vanish there.
     */
    static Optional<String> missingPieces() {
        Path dir = scriptDir();
        String missing = null;
        if (!nodeOnPath()) {
            missing = "`node` is not on PATH";
        } else if (!Files.isRegularFile(dir.resolve("node_modules/bittorrent-dht/package.json"))) {
            missing = "bittorrent-dht is not installed under " + dir.resolve("node_modules");
        }
        if (missing == null) {
            return Optional.empty();
        }
        String message = "bittorrent-dht interoperability test cannot run: " + missing + "; " + INSTALL_HINT;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        System.err.println("SKIPPED: " + message);
        return Optional.of(message);
    }

    private static boolean nodeOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) {
                return true;
            }
        }
        return false;
    }

    static BittorrentDhtProcess start(Path logDir) throws IOException {
        Path dir = scriptDir();
        Path log = logDir.resolve("peer-js.stderr");
        ProcessBuilder pb = new ProcessBuilder("node", "peer.js").directory(dir.toFile())
                .redirectError(log.toFile());
        return new BittorrentDhtProcess(pb.start(), log);
    }

    /** Sends one command and returns its answer; fails the test when the answer says !ok or never comes. */
    JsonNode call(ObjectNode command) throws IOException, InterruptedException {
        JsonNode answer = tryCall(command);
        Assertions.assertTrue(answer.path("ok").asBoolean(), () -> "peer.js refused " + command + ": " + answer);
        return answer;
    }

    /** Sends one command and returns its answer, ok or not. */
    JsonNode tryCall(ObjectNode command) throws IOException, InterruptedException {
        stdin.write(json.writeValueAsString(command) + "\n");
        stdin.flush();
        String line = answers.poll(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            Assertions.fail("peer.js gave no answer to " + command + " within " + ANSWER_WAIT_SECONDS + " s"
                    + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; stderr: "
                    + stderr());
        }
        return json.readTree(line);
    }

    ObjectNode command(String cmd) {
        return json.createObjectNode().put("cmd", cmd);
    }

    /** Starts a bittorrent-dht node; with no bootstrap addresses it knows nobody and never asks the public routers. */
    JsNode startNode(InetSocketAddress... bootstrap) throws IOException, InterruptedException {
        ObjectNode c = command("start");
        var list = c.putArray("bootstrap");
        for (InetSocketAddress a : bootstrap) {
            list.add(a.getAddress().getHostAddress() + ":" + a.getPort());
        }
        JsonNode a = call(c);
        return new JsNode(a.get("node").asInt(), NodeId.fromHex(a.get("id").asText()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), a.get("port").asInt()));
    }

    /** Puts {@code (id, address)} into {@code node}'s routing table without contacting it. */
    void addContact(JsNode node, NodeId id, InetSocketAddress address) throws IOException, InterruptedException {
        call(command("addNode").put("node", node.index()).put("id", id.toHex()).put("port", address.getPort()));
    }

    private String stderr() {
        try {
            return Files.readString(stderrLog);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.write("{\"cmd\":\"quit\"}\n");
            stdin.close();
        } catch (IOException e) {
            // Already gone.
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }
}
