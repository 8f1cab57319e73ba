package io.restfs.node.daemon;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.restfs.blockstore.store.ShardStore;
import io.restfs.blockstore.store.ShardStoreStats;
import io.restfs.node.pubsub.Discovery;
import io.restfs.node.pubsub.Membership;
import io.restfs.node.pubsub.PubSubHub;

import java.util.ArrayList;
import java.util.List;

/** Gauges read at scrape time: the shard store's contents and space, members by state, /ws connections. */
final class NodeGauges extends Collector {
    private final ShardStore store;
    private final Discovery discovery;
    private final PubSubHub hub;

    NodeGauges(ShardStore store, Discovery discovery, PubSubHub hub) {
        this.store = store;
        this.discovery = discovery;
        this.hub = hub;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        ShardStoreStats s = store.stats();
        out.add(new GaugeMetricFamily("restfs_shards_stored", "Shards held by this node.", s.shardCount()));
        out.add(new GaugeMetricFamily("restfs_shard_bytes_stored", "Bytes of shards held by this node.",
                s.bytesStored()));
        out.add(new GaugeMetricFamily("restfs_shard_bytes_free", "Bytes a new shard may still use.", s.freeBytes()));
        out.add(new GaugeMetricFamily("restfs_shard_bytes_capacity", "Configured shard capacity.",
                s.capacityBytes()));
        out.add(new GaugeMetricFamily("restfs_shards_corrupt", "Shards found corrupt since the store was created.",
                s.corruptCount()));
        GaugeMetricFamily members = new GaugeMetricFamily("restfs_members",
                "Other cluster members this node knows, by state.", List.of("state"));
        List<Membership.Entry> entries = discovery.membership().entries();
        for (Membership.State state : Membership.State.values()) {
            members.addMetric(List.of(state.name().toLowerCase()),
                    entries.stream().filter(e -> e.state() == state).count());
        }
        out.add(members);
        out.add(new GaugeMetricFamily("restfs_member_links", "Nodes this node holds a proven /ws link with.",
                discovery.linkedPeers().size()));
        out.add(new GaugeMetricFamily("restfs_ws_connections", "Open /ws connections (nodes and clients).",
                hub.connectionCount()));
        out.add(new CounterMetricFamily("restfs_ws_slow_closed", "/ws connections closed because bucket events"
                + " piled up unread.", hub.slowSubscribersClosed()));
        return out;
    }
}
