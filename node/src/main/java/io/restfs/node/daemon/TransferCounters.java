package io.restfs.node.daemon;

import java.util.List;
import java.util.function.Supplier;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.restfs.node.transfer.TransferStats;

/** The shard transfer's authentication counters, server and client side, read at scrape time. */
final class TransferCounters extends Collector {
    private final Supplier<TransferStats> server;
    private final Supplier<TransferStats> client;

    TransferCounters(Supplier<TransferStats> server, Supplier<TransferStats> client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        TransferStats s = server.get();
        TransferStats c = client.get();
        CounterMetricFamily handshakes = new CounterMetricFamily("restfs_transfer_auth_failures",
                "Shard transfer peers refused in the handshake (bad proof, wrong cluster key, timeout).",
                List.of("side"));
        handshakes.addMetric(List.of("server"), s.authFailures());
        handshakes.addMetric(List.of("client"), c.authFailures());
        CounterMetricFamily frames = new CounterMetricFamily("restfs_transfer_frame_auth_failures",
                "Shard transfer frames after the handshake whose tag did not verify (altered, replayed, reordered, "
                        + "injected or after a dropped one); each closed its connection.", List.of("side"));
        frames.addMetric(List.of("server"), s.frameAuthFailures());
        frames.addMetric(List.of("client"), c.frameAuthFailures());
        return List.of(handshakes, frames);
    }
}
