package io.restfs.node.web;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.hotspot.DefaultExports;

/**
 * The node's Prometheus registry, served at /metrics. Parts of the node register their own collectors on
 * {@link #registry()}; the JSON-RPC layer counts calls and errors on the two counters here.
 */
public final class NodeMetrics {
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final Counter rpcCalls = Counter.build("restfs_rpc_calls_total", "JSON-RPC calls served, by method.")
            .labelNames("method").register(registry);
    private final Counter rpcErrors = Counter.build("restfs_rpc_errors_total",
            "JSON-RPC calls answered with an error, by method and error code.")
            .labelNames("method", "code").register(registry);

    public NodeMetrics() {
        DefaultExports.register(registry);
    }

    public CollectorRegistry registry() {
        return registry;
    }

    /** Counts one call of {@code method} (e.g. {@code bucket.create}). */
    public void rpcCall(String method) {
        rpcCalls.labels(method).inc();
    }

    /** Counts one error answer to {@code method} with JSON-RPC error {@code code}. */
    public void rpcError(String method, int code) {
        rpcErrors.labels(method, Integer.toString(code)).inc();
    }
}
