package io.restfs.node.daemon;

import io.restfs.blockstore.store.ShardStore;
import io.restfs.dht.node.DhtNode;
import io.restfs.node.config.NodeConfig;
import io.restfs.node.pubsub.Membership;
import io.restfs.node.pubsub.Publisher;
import io.restfs.node.transfer.ClusterIdentity;
import io.restfs.node.transfer.ShardTransferClient;
import io.restfs.node.web.NodeMetrics;

/**
 * What a running node offers the services built on it (storage, API): its settings and keys, its DHT node, its own
 * shard store, the shard-transfer client for other nodes, the pub/sub publisher, the cluster membership and the
 * metrics registry. All are owned and closed by the {@link NodeDaemon}.
 */
public record NodeContext(NodeConfig config, ClusterIdentity identity, DhtNode dht, ShardStore store,
                          ShardTransferClient transfer, Publisher publisher, Membership membership,
                          NodeMetrics metrics) {
    /** The cluster key (a copy): every member holds it; metadata keys derive from it. */
    public byte[] clusterKey() {
        return identity.clusterKey();
    }
}
