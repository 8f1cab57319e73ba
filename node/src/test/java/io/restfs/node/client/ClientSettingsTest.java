package io.restfs.node.client;

import io.restfs.node.cli.client.ClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where client commands find the node URL and token: options, then environment, then config files. */
class ClientSettingsTest {
    @TempDir
    Path dir;

    private Path config(Path base, String url, String token) throws Exception {
        Path d = Files.createDirectories(base.resolve(".restfs"));
        return Files.writeString(d.resolve("client.toml"), (url == null ? "" : "url = \"" + url + "\"\n")
                + (token == null ? "" : "token = \"" + token + "\"\n"));
    }

    @Test
    void optionsWinOverEnvironmentAndFiles() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        config(cwd, "http://file:1", "filetoken");
        ClientSettings s = ClientSettings.resolve("http://opt:1", "opttoken", null,
                Map.of("RESTFS_NODE", "http://env:1", "RESTFS_TOKEN", "envtoken"), cwd, null);
        assertEquals("http://opt:1", s.node().toString());
        assertEquals("opttoken", s.token());
    }

    @Test
    void environmentWinsOverFiles() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        config(cwd, "http://file:1", "filetoken");
        ClientSettings s = ClientSettings.resolve(null, null, null,
                Map.of("RESTFS_NODE", "http://env:1"), cwd, null);
        assertEquals("http://env:1", s.node().toString());
        assertEquals("filetoken", s.token(), "each value from the first place that has it");
    }

    @Test
    void workingDirectoryConfigWinsOverHome() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Path home = Files.createDirectories(dir.resolve("home"));
        config(cwd, "http://cwd:1", null);
        config(home, "http://home:1", "hometoken");
        ClientSettings s = ClientSettings.resolve(null, null, null, Map.of(), cwd, home);
        assertEquals("http://cwd:1", s.node().toString());
        assertEquals("hometoken", s.token());
    }

    @Test
    void configNamedByEnvironmentIsRead() throws Exception {
        Path f = config(dir.resolve("cluster"), "http://named:1", "namedtoken");
        ClientSettings s = ClientSettings.resolve(null, null, null, Map.of("RESTFS_CONFIG", f.toString()),
                Files.createDirectories(dir.resolve("cwd")), null);
        assertEquals("http://named:1", s.node().toString());
    }

    @Test
    void missingNodeOrTokenSaysWhereToPutThem() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        ClientSettings.Missing m = assertThrows(ClientSettings.Missing.class,
                () -> ClientSettings.resolve(null, "t", null, Map.of(), cwd, null));
        assertTrue(m.getMessage().contains("--node") && m.getMessage().contains("RESTFS_NODE"), m.getMessage());
        ClientSettings.Missing t = assertThrows(ClientSettings.Missing.class,
                () -> ClientSettings.resolve("http://x:1", null, null, Map.of(), cwd, null));
        assertTrue(t.getMessage().contains("--token"), t.getMessage());
        assertThrows(ClientSettings.Missing.class,
                () -> ClientSettings.resolve("ftp://x", "t", null, Map.of(), cwd, null));
    }

    @Test
    void brokenConfigIsNamed() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        Files.createDirectories(cwd.resolve(".restfs"));
        Files.writeString(cwd.resolve(".restfs/client.toml"), "url = = broken\n");
        ClientSettings.Missing m = assertThrows(ClientSettings.Missing.class,
                () -> ClientSettings.resolve(null, null, null, Map.of(), cwd, null));
        assertTrue(m.getMessage().contains("client.toml"), m.getMessage());
    }
}
