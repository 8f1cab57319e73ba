package io.restfs.node.rpc;

import io.restfs.api.ErrorCode;
import io.restfs.node.auth.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A token file damaged while the node runs: callers get a JSON-RPC error, never a servlet error page. */
class BrokenTokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void damagedTokenFileAnswersInternalErrorWithoutDetails() throws Exception {
        try (ApiFixture fx = new ApiFixture(dir)) {
            Files.writeString(fx.nodeDir.resolve(TokenStore.FILE_NAME), "{\"format\": 1, \"tokens\": [broken");
            RpcTestClient.Answer a = new RpcTestClient(fx.uri(), fx.adminToken).post(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cluster.status\"}");
            assertEquals(500, a.status());
            assertEquals(ErrorCode.INTERNAL_ERROR.code(), a.json().path("error").path("code").asInt(), a.body());
            assertFalse(a.body().contains("Exception") || a.body().contains("tokens.json"), a.body());
        }
    }
}
