package io.restfs.node.rpc;

import io.restfs.node.web.NodeMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Calls and error answers are counted on the node's metrics, with bounded labels for bad method names. */
class RpcMetricsTest {
    @TempDir
    Path dir;

    @Test
    void countsCallsAndErrorsByMethodAndCode() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        try (ApiFixture fx = new ApiFixture(dir)) {
            fx.api.countCallsIn(metrics);
            RpcTestClient rpc = new RpcTestClient(fx.uri(), fx.adminToken);
            rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"bucket.list\"}");
            rpc.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"bucket.info\",\"params\":[\"nope\"]}");
            rpc.post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no.such.method.12345\"}");
            rpc.post("[1]");
        }
        var r = metrics.registry();
        assertEquals(1.0, r.getSampleValue("restfs_rpc_calls_total", new String[] {"method"},
                new String[] {"bucket.list"}));
        assertEquals(1.0, r.getSampleValue("restfs_rpc_errors_total", new String[] {"method", "code"},
                new String[] {"bucket.info", "-32003"}));
        assertEquals(1.0, r.getSampleValue("restfs_rpc_errors_total", new String[] {"method", "code"},
                new String[] {RpcDispatcher.UNKNOWN_METHOD, "-32601"}));
        assertEquals(1.0, r.getSampleValue("restfs_rpc_calls_total", new String[] {"method"},
                new String[] {RpcDispatcher.INVALID_REQUEST}));
        assertNull(r.getSampleValue("restfs_rpc_calls_total", new String[] {"method"},
                new String[] {"no.such.method.12345"}));
    }
}
