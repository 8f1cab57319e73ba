package io.restfs.node.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeConfigFileTest {
    @TempDir
    Path tmp;

    private ConfigException refused(String toml) throws Exception {
        Path f = tmp.resolve("node.toml");
        Files.writeString(f, toml);
        return assertThrows(ConfigException.class, () -> NodeConfigFile.load(f));
    }

    @Test
    void whatInitRendersLoadsBackWithEverySetting() throws Exception {
        Path f = tmp.resolve("node.toml");
        Files.writeString(f, NodeConfigFile.render(new NodeConfigFile.Settings("rack \"7\"", "10.0.0.5", 5L << 30,
                "0.0.0.0", 8000, 8001, 8002, List.of("10.0.0.1:7420", "[::1]:7420"))));
        NodeConfig c = NodeConfigFile.load(f);
        assertEquals("rack \"7\"", c.group());
        assertEquals("10.0.0.5", c.advertiseHost());
        assertEquals(5L << 30, c.capacityBytes());
        assertEquals(new NodeConfig.Endpoint("0.0.0.0", 8000), c.api());
        assertEquals(new NodeConfig.Endpoint("0.0.0.0", 8001), c.dht());
        assertEquals(new NodeConfig.Endpoint("0.0.0.0", 8002), c.shard());
        assertEquals(List.of("10.0.0.1:7420", "[::1]:7420"), c.seeds());
        assertEquals(tmp.resolve("cluster.key"), c.clusterKeyFile());
        assertEquals(tmp.resolve("node.key"), c.nodeKeyFile());
        assertEquals(NodeConfig.DEFAULT_HEARTBEAT, c.heartbeat());
    }

    @Test
    void anEmptyFileIsAllDefaults() throws Exception {
        Path f = tmp.resolve("node.toml");
        Files.writeString(f, "# nothing set\n");
        NodeConfig c = NodeConfigFile.load(f);
        assertEquals(NodeConfig.DEFAULT_DHT_PORT, c.dht().port());
        assertEquals(NodeConfig.DEFAULT_GROUP, c.group());
        assertEquals(Duration.ofSeconds(1), c.heartbeat());
        assertTrue(c.seeds().isEmpty());
    }

    @Test
    void anUnknownSettingIsNamedWithItsLine() throws Exception {
        ConfigException e = refused("[node]\ngroup = \"a\"\n\n[api]\nprot = 80\n");
        assertEquals(5, e.line());
        assertEquals("api.prot", e.setting());
        assertTrue(e.getMessage().contains("node.toml:5") && e.getMessage().contains("api.prot"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithItsLine() throws Exception {
        ConfigException e = refused("[node]\ncapacity_bytes = \"lots\"\n");
        assertEquals(2, e.line());
        assertEquals("node.capacity_bytes", e.setting());
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }

    @Test
    void aPortOutOfRangeIsNamedWithItsLine() throws Exception {
        ConfigException e = refused("[dht]\nbind = \"127.0.0.1\"\nport = 70000\n");
        assertEquals(3, e.line());
        assertEquals("dht.port", e.setting());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }

    @Test
    void aBadSeedIsNamed() throws Exception {
        ConfigException e = refused("[cluster]\nseeds = [\"nohostport\"]\n");
        assertEquals(2, e.line());
        assertEquals("cluster.seeds", e.setting());
    }

    @Test
    void anUnknownSectionIsNamed() throws Exception {
        ConfigException e = refused("[node]\n[storage]\nx = 1\n");
        assertEquals(2, e.line());
        assertEquals("storage", e.setting());
    }

    @Test
    void brokenTomlSyntaxGivesTheLine() throws Exception {
        ConfigException e = refused("[node]\ngroup = \"a\"\nport = = 3\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());
    }

    @Test
    void aMissingFileSaysHowToMakeOne() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigFile.load(tmp.resolve("none.toml")));
        assertTrue(e.getMessage().contains("restfs init"), e.getMessage());
    }

    @Test
    void joinTokensRoundTripAndRefuseGarbage() {
        byte[] key = ClusterKeyFile.generate(new java.security.SecureRandom());
        JoinToken t = JoinToken.decode(new JoinToken("127.0.0.1:7420", key).encode());
        assertEquals("127.0.0.1:7420", t.seed());
        assertTrue(java.util.Arrays.equals(key, t.clusterKey()));
        assertThrows(IllegalArgumentException.class, () -> JoinToken.decode("not-a-token"));
        assertThrows(IllegalArgumentException.class, () -> JoinToken.decode(java.util.Base64.getUrlEncoder()
                .encodeToString("{\"v\":9}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
}
