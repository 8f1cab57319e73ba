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
            storage.warmUp();
            TokenStore tokens = TokenStore.open(c.config().dataDir());
            RestfsApi api = RestfsApi.over(storage, tokens).countCallsIn(c.metrics());
            d.mount("/rpc", api.rpcServlet());
            d.mount("/o/*", api.objectServlet());
            d.setSubscriberAuthorizer(new TokenSubscriberAuthorizer(tokens));
        });
    }
}
