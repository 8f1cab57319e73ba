package io.restfs.node.rpc;

import io.restfs.api.client.RestfsClient;
import io.restfs.node.auth.Grant;
import io.restfs.node.auth.TokenStore;

import javax.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The restfs API served as a node serves it (RestfsApi's servlets at /rpc and /o/*, a real token store in a node
 * directory) over the in-memory {@link MemoryStore}, with an admin token ready.
 */
public final class ApiFixture implements AutoCloseable {
    public final MemoryStore store = new MemoryStore();
    public final Path nodeDir;
    public final TokenStore tokens;
    public final String adminToken;
    public final RestfsApi api;
    private final TestHttpServer server;

    public ApiFixture(Path dir) throws Exception {
        this.nodeDir = Files.createDirectories(dir.resolve("node"));
        this.tokens = TokenStore.open(nodeDir);
        this.adminToken = tokens.create(Grant.adminGrant(), "fixture admin");
        this.api = RestfsApi.over(store, tokens);
        Map<String, HttpServlet> mounts = Map.of("/rpc", api.rpcServlet(), "/o/*", api.objectServlet());
        this.server = TestHttpServer.start(Files.createDirectories(dir.resolve("tomcat")), mounts);
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    public RestfsClient client(String token) {
        return RestfsClient.connect(uri(), token);
    }

    public RestfsClient admin() {
        return client(adminToken);
    }

    public String token(Set<String> read, Set<String> write) throws IOException {
        return tokens.create(Grant.on(read, write), "fixture");
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
