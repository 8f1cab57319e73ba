package io.restfs.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.dht.crypto.Ed25519KeyFile;
import io.restfs.node.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code restfs init} and {@code restfs node}'s refusal of a bad config, through the real command line. */
class InitCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theFirstNodeCreatesKeysReadableOnlyByTheOwnerAndPrintsAJoinToken() throws Exception {
        Path d = tmp.resolve("n1");
        Run r = run("init", "--dir", d.toString(), "--group", "rack1", "--api-port", "7500", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out());
        for (String f : new String[] {"node.key", "cluster.key"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(f))), f);
        }
        assertEquals(Ed25519KeyFile.load(d.resolve("node.key")).nodeId().toHex(), o.get("nodeId").asText());
        NodeConfig c = NodeConfigFile.load(d.resolve("node.toml"));
        assertEquals("rack1", c.group());
        assertEquals(7500, c.api().port());
        JoinToken t = JoinToken.decode(o.get("joinToken").asText());
        assertEquals("127.0.0.1:7500", t.seed());
        assertTrue(Arrays.equals(ClusterKeyFile.load(d.resolve("cluster.key")), t.clusterKey()));
    }

    @Test
    void laterNodesJoinWithTheTokenOrTheKeyFileAndGetTheirOwnNodeKey() throws Exception {
        Path d1 = tmp.resolve("n1");
        Path d2 = tmp.resolve("n2");
        Path d3 = tmp.resolve("n3");
        String token = new ObjectMapper().readTree(run("init", "--dir", d1.toString(), "--json").out())
                .get("joinToken").asText();
        Run r2 = run("init", "--dir", d2.toString(), "--join-token", token, "--api-port", "7510");
        assertEquals(0, r2.code(), r2.err());
        assertFalse(r2.out().contains("join token"), "only the first node prints one");
        Run r3 = run("init", "--dir", d3.toString(), "--seed", "127.0.0.1:7420", "--cluster-key-file",
                d1.resolve("cluster.key").toString());
        assertEquals(0, r3.code(), r3.err());
        byte[] key = ClusterKeyFile.load(d1.resolve("cluster.key"));
        assertTrue(Arrays.equals(key, ClusterKeyFile.load(d2.resolve("cluster.key"))));
        assertTrue(Arrays.equals(key, ClusterKeyFile.load(d3.resolve("cluster.key"))));
        assertEquals(java.util.List.of("127.0.0.1:7420"), NodeConfigFile.load(d2.resolve("node.toml")).seeds());
        assertEquals(java.util.List.of("127.0.0.1:7420"), NodeConfigFile.load(d3.resolve("node.toml")).seeds());
        assertNotEquals(Ed25519KeyFile.load(d1.resolve("node.key")).nodeId(),
                Ed25519KeyFile.load(d2.resolve("node.key")).nodeId());
    }

    @Test
    void refusesToJoinWithoutTheClusterKeyOrToOverwriteANode() {
        Run noKey = run("init", "--dir", tmp.resolve("x").toString(), "--seed", "127.0.0.1:7420");
        assertEquals(2, noKey.code());
        assertTrue(noKey.err().contains("--join-token"), noKey.err());
        assertFalse(Files.exists(tmp.resolve("x").resolve("node.key")), "nothing written on a refusal");
        assertEquals(0, run("init", "--dir", tmp.resolve("y").toString()).code());
        Run again = run("init", "--dir", tmp.resolve("y").toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a node"), again.err());
        assertEquals(2, run("init", "--dir", tmp.resolve("z").toString(), "--join-token", "garbage").code());
    }

    @Test
    void nodeRefusesABadConfigNamingTheLineAndSettingWithExitCode2() throws Exception {
        Path d = tmp.resolve("n");
        assertEquals(0, run("init", "--dir", d.toString()).code());
        Path toml = d.resolve("node.toml");
        String text = Files.readString(toml).replace("[shard]\n", "[shard]\nthreads = 4\n");
        Files.writeString(toml, text);
        int line = Arrays.asList(text.split("\n")).indexOf("threads = 4") + 1;
        Run r = run("node", "--config", toml.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("node.toml:" + line) && r.err().contains("shard.threads"), r.err());
    }
}
