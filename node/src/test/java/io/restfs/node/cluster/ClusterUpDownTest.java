package io.restfs.node.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.node.cli.Main;
import io.restfs.node.cli.cluster.LocalCluster;
import io.restfs.node.daemon.NodeFixture;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code restfs cluster up} and {@code down} with real node processes. */
class ClusterUpDownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Starting three JVMs with Tomcat on two shared cores. */
    private static final long UP_SECONDS = 120;

    @TempDir
    Path tmp;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertEquals(0, code, "restfs " + String.join(" ", args) + ": " + err);
        return out.toString();
    }

    private static List<Long> pids(JsonNode up) {
        List<Long> out = new ArrayList<>();
        up.get("nodes").forEach(n -> out.add(n.get("pid").asLong()));
        return out;
    }

    private static boolean anyAlive(List<Long> pids) {
        return pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).anyMatch(ProcessHandle::isAlive);
    }

    @Test
    void upStartsAJoinedClusterWithATokenAndDownLeavesNoProcessAndARestartBringsTheSameNodesBack()
            throws Exception {
        Path dir = tmp.resolve("c");
        // cluster up in the foreground, as a user runs it: a child process that stays until the nodes stop.
        Process up = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "cluster", "up", "--nodes", "3", "--dir", dir.toString(), "--json")
                .redirectError(tmp.resolve("up.stderr").toFile()).start();
        List<Long> pids = List.of();
        try {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            String first = line.get(UP_SECONDS, TimeUnit.SECONDS);
            assertTrue(first != null, "cluster up printed nothing: " + Files.readString(tmp.resolve("up.stderr")));
            JsonNode o = JSON.readTree(first);
            pids = pids(o);
            assertEquals(3, pids.size());
            String url = o.get("url").asText();
            String token = o.get("token").asText();

            Path client = dir.resolve(LocalCluster.CLIENT_FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(client)));
            String clientText = Files.readString(client);
            assertTrue(clientText.contains("url = \"" + url + "\"") && clientText.contains("token = \"" + token + "\""),
                    clientText);

            for (JsonNode n : o.get("nodes")) {
                JsonNode status = JSON.readTree(NodeFixture.get(n.get("url").asText() + "/status.json").body());
                long alive = 0;
                for (JsonNode m : status.get("members")) {
                    alive += m.get("state").asText().equals("alive") ? 1 : 0;
                }
                assertEquals(2, alive, "every node lists the two others: " + status);
                // The admin token works on every node, not only the first.
                HttpResponse<String> rpc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(n.get("url").asText() + "/rpc"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\",\"params\":[]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, rpc.statusCode(), rpc.body());
                assertTrue(JSON.readTree(rpc.body()).has("result"), rpc.body());
            }

            String down = run("cluster", "down", "--dir", dir.toString());
            assertTrue(down.contains("stopped 3"), down);
            assertFalse(anyAlive(pids), "no node process is left");
            assertTrue(up.waitFor(30, TimeUnit.SECONDS), "cluster up returns once its nodes are stopped");
            assertEquals(0, up.exitValue());

            // Same folder again: same nodes (keys), same ports, same token.
            JsonNode again = JSON.readTree(run("cluster", "up", "--nodes", "3", "--dir", dir.toString(), "--json",
                    "--detach"));
            List<Long> againPids = pids(again);
            try {
                for (int i = 0; i < 3; i++) {
                    assertEquals(o.get("nodes").get(i).get("nodeId"), again.get("nodes").get(i).get("nodeId"));
                    assertEquals(o.get("nodes").get(i).get("url"), again.get("nodes").get(i).get("url"));
                }
                assertEquals(token, again.get("token").asText());
            } finally {
                run("cluster", "down", "--dir", dir.toString());
            }
            assertFalse(anyAlive(againPids), "no node process is left after the restart either");
        } finally {
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            up.destroyForcibly();
        }
    }

    @Test
    void downWithoutAClusterSaysSo() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute("cluster", "down", "--dir", tmp.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("no cluster"), err.toString());
    }
}
