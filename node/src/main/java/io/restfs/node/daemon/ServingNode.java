package io.restfs.node.daemon;

import io.restfs.node.auth.TokenStore;
import io.restfs.node.auth.TokenSubscriberAuthorizer;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.pubsub.Membership;
import io.restfs.node.rpc.RestfsApi;
import io.restfs.node.storage.StorageService;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * A whole node as {@code restfs node} runs it: the daemon with the storage service over its DHT, shard store and
 * transfer, and the API over that at /rpc and /o/*, its tokens in the node folder (also deciding bucket
 * subscriptions at /ws).
 */
public final class ServingNode {
    private ServingNode() {
    }

    public static NodeDaemon start(NodeConfig config) throws NodeStartException {
        return NodeDaemon.start(config, d -> {
            NodeContext c = d.context();
            // One codec thread per core: encoding is CPU-bound and the transfer layer has its own I/O threads.
            StorageService storage = new StorageService(c.dht(), c.store(), c.transfer(), c.clusterKey(),
                    c.publisher()::publish, Clock.systemUTC(), new SecureRandom(),
                    Runtime.getRuntime().availableProcessors(),
                    id -> c.membership().get(id).filter(e -> e.state() != Membership.State.ALIVE).isPresent());
            d.closeWith(storage);
            c.metrics().registry().register(new ReclaimedShards(storage));
            storage.warmUp();
            TokenStore tokens = TokenStore.open(c.config().dataDir());
            RestfsApi api = RestfsApi.over(storage, tokens).countCallsIn(c.metrics());
            d.mount("/rpc", api.rpcServlet());
            d.mount("/o/*", api.objectServlet());
            d.setSubscriberAuthorizer(new TokenSubscriberAuthorizer(tokens));
        });
    }

    /** Counters of what version deletes did with shards: deleted from their holders, or left behind as orphans. */
    private static final class ReclaimedShards extends io.prometheus.client.Collector {
        private final StorageService storage;

        ReclaimedShards(StorageService storage) {
            this.storage = storage;
        }

        @Override
        public java.util.List<MetricFamilySamples> collect() {
            return java.util.List.of(
                    new io.prometheus.client.CounterMetricFamily("restfs_shards_reclaimed_total",
                            "Shards deleted from their holders after version deletes made through this node.",
                            storage.shardsReclaimed()),
                    new io.prometheus.client.CounterMetricFamily("restfs_shards_orphaned_total",
                            "Shards a version delete through this node could not delete (holder unknown or down).",
                            storage.shardsOrphaned()));
        }
    }
}
