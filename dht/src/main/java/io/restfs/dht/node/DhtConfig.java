package io.restfs.dht.node;

import io.restfs.dht.routing.RoutingTable;
import io.restfs.dht.rpc.RpcTimeouts;

/**
 * A DHT node's tunables. Start from {@link #defaults()} and change what you need with the {@code with} methods.
 *
 * @param k                  bucket size and the number of closest nodes a lookup returns and a put writes to
 * @param alpha              lookup queries in flight at once
 * @param timeouts           RPC timeouts and attempts for direct calls (ping, put)
 * @param lookupAttempts     sends per lookup query; the first timeout is the soft one that frees the slot
 * @param queryRatePerSecond queries accepted per second from one IP, on average
 * @param queryBurst         queries accepted from one IP at once
 * @param maxItems           BEP 44 items held for others, in all
 * @param maxItemsPerSource  BEP 44 items held for any one source IP
 * @param maxPeersPerHash    announced peers kept per info-hash
 * @param maxInfoHashes      info-hashes with announced peers kept
 * @param maintenanceMillis  period of the housekeeping pass (expiry, bucket refresh, pings, saving state)
 * @param republishMillis    period at which the node re-puts the items it publishes
 * @param shardHost          shard-transfer host advertised in restfs_info ("" when this node serves no shards)
 * @param shardPort          shard-transfer TCP port advertised in restfs_info (0 when none)
 * @param failureGroup       failure group advertised in restfs_info
 * @param readOnly           BEP 43 read-only node: marks every query it sends with {@code "ro": 1} so that others
 *                           leave it out of their routing tables, and drops the queries it receives unanswered;
 *                           for short-lived clients that would otherwise linger in tables as dead entries
 * @param maxRttPeers        peers whose round-trip times are remembered (adaptive timeouts); least recently used
 *                           forgotten first
 * @param maxPeerInfos       verified restfs_info records kept; least recently used forgotten first (asked again
 *                           when needed)
 * @param maxRateLimitedSources source addresses whose query rate is tracked; a least recently seen one forgotten
 *                           first (rounded down to a power of two of at least 4: see FourWayTable)
 * @param contactSaveMillis  least time between two saves of the routing table to the state store (the
 *                           maintenance pass saves when due; closing always saves)
 */
public record DhtConfig(int k, int alpha, RpcTimeouts timeouts, int lookupAttempts, double queryRatePerSecond,
                        int queryBurst, int maxItems, int maxItemsPerSource, int maxPeersPerHash, int maxInfoHashes,
                        long maintenanceMillis, long republishMillis, String shardHost, int shardPort,
                        String failureGroup, boolean readOnly, int maxRttPeers, int maxPeerInfos,
                        int maxRateLimitedSources, long contactSaveMillis) {
    /** Kademlia's alpha = 3 concurrent lookup queries. */
    public static final int DEFAULT_ALPHA = 3;
    /**
     * Three sends per lookup query, so a live peer among the k closest is missed only when all three are lost (with
     * 1% loss, 1 query in 100,000 instead of 4 in 10,000 with two). While peers are seen leaving a node sends at
     * most two (see DhtNode.CHURN_LOOKUP_ATTEMPTS).
     */
    public static final int DEFAULT_LOOKUP_ATTEMPTS = 3;
    /**
     * 50 queries/s with bursts of 100 per IP: a busy Mainline peer sends a few per second; a restfs gateway
     * doing a burst of puts needs more, but 100 at once is far beyond a single honest client.
     */
    public static final double DEFAULT_QUERY_RATE = 50;
    public static final int DEFAULT_QUERY_BURST = 100;
    /** 50,000 items of at most ~1.2 KB each bound the store near 60 MB. */
    public static final int DEFAULT_MAX_ITEMS = 50_000;
    /** One address may hold 1% of the store. */
    public static final int DEFAULT_MAX_ITEMS_PER_SOURCE = 500;
    /** BEP 44: owners republish every hour, well inside the two-hour expiry. */
    public static final long DEFAULT_REPUBLISH_MILLIS = 60 * 60_000L;
    /** Once a minute is often enough for 15-minute liveness and refresh rules and 2-hour expiry. */
    public static final long DEFAULT_MAINTENANCE_MILLIS = 60_000L;
    /**
     * A full table holds about 20 buckets of k = 20 members plus as many in replacement caches (~800 peers); 4,096
     * covers them and the strangers met in recent lookups, at ~100 bytes each. A simulator of many nodes in one heap
     * sets a few hundred.
     */
    public static final int DEFAULT_MAX_RTT_PEERS = 4_096;
    /** Verified restfs_info records (~300 bytes each): the table's restfs members and recent data holders. */
    public static final int DEFAULT_MAX_PEER_INFOS = 4_096;
    /** Source addresses rate-tracked: enough that a flood from many addresses cannot evict a busy one's state. */
    public static final int DEFAULT_MAX_RATE_LIMITED_SOURCES = 65_536;
    /** The routing table is saved once a minute, with the maintenance pass. */
    public static final long DEFAULT_CONTACT_SAVE_MILLIS = DEFAULT_MAINTENANCE_MILLIS;

    public DhtConfig {
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("k must be 1-64 (a find_node answer carries at most 64 nodes), got " + k);
        }
        if (alpha < 1 || lookupAttempts < 1 || queryRatePerSecond <= 0 || queryBurst < 1 || maxItems < 1
                || maxItemsPerSource < 1 || maxPeersPerHash < 1 || maxInfoHashes < 1 || maintenanceMillis < 1
                || republishMillis < 1 || maxRttPeers < 1 || maxPeerInfos < 1 || maxRateLimitedSources < 1
                || contactSaveMillis < 1) {
            throw new IllegalArgumentException("DHT settings must be positive: " + this);
        }
        if (shardPort < 0 || shardPort > 0xffff) {
            throw new IllegalArgumentException("shard port must be 0-65535, got " + shardPort);
        }
    }

    /** The settings of a full node with the default memory bounds, as before they were configurable. */
    public DhtConfig(int k, int alpha, RpcTimeouts timeouts, int lookupAttempts, double queryRatePerSecond,
                     int queryBurst, int maxItems, int maxItemsPerSource, int maxPeersPerHash, int maxInfoHashes,
                     long maintenanceMillis, long republishMillis, String shardHost, int shardPort,
                     String failureGroup, boolean readOnly) {
        this(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems, maxItemsPerSource,
                maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost, shardPort,
                failureGroup, readOnly, DEFAULT_MAX_RTT_PEERS, DEFAULT_MAX_PEER_INFOS,
                DEFAULT_MAX_RATE_LIMITED_SOURCES, DEFAULT_CONTACT_SAVE_MILLIS);
    }

    /** The settings of a full node (not read-only), as before BEP 43 support. */
    public DhtConfig(int k, int alpha, RpcTimeouts timeouts, int lookupAttempts, double queryRatePerSecond,
                     int queryBurst, int maxItems, int maxItemsPerSource, int maxPeersPerHash, int maxInfoHashes,
                     long maintenanceMillis, long republishMillis, String shardHost, int shardPort,
                     String failureGroup) {
        this(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems, maxItemsPerSource,
                maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost, shardPort,
                failureGroup, false);
    }

    public static DhtConfig defaults() {
        return new DhtConfig(RoutingTable.DEFAULT_K, DEFAULT_ALPHA, RpcTimeouts.DEFAULT, DEFAULT_LOOKUP_ATTEMPTS,
                DEFAULT_QUERY_RATE, DEFAULT_QUERY_BURST, DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS_PER_SOURCE, 100, 1000,
                DEFAULT_MAINTENANCE_MILLIS, DEFAULT_REPUBLISH_MILLIS, "", 0, "", false, DEFAULT_MAX_RTT_PEERS,
                DEFAULT_MAX_PEER_INFOS, DEFAULT_MAX_RATE_LIMITED_SOURCES, DEFAULT_CONTACT_SAVE_MILLIS);
    }

    public DhtConfig withK(int k) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    public DhtConfig withAlpha(int alpha) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    public DhtConfig withTimeouts(RpcTimeouts timeouts) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    public DhtConfig withRateLimit(double perSecond, int burst) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, perSecond, burst, maxItems, maxItemsPerSource,
                maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost, shardPort,
                failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources, contactSaveMillis);
    }

    public DhtConfig withQuotas(int maxItems, int maxItemsPerSource) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    public DhtConfig withShardEndpoint(String host, int port, String failureGroup) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, host, port,
                failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources, contactSaveMillis);
    }

    public DhtConfig withRepublishMillis(long republishMillis) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    /** A read-only node (BEP 43) when {@code readOnly}; a full node otherwise. */
    public DhtConfig withReadOnly(boolean readOnly) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    /**
     * Bounds of the per-node memories that grow with every peer met: round-trip-time estimators, verified
     * restfs_info records and rate-limited source addresses (each least recently used first out).
     */
    public DhtConfig withMemoryBounds(int maxRttPeers, int maxPeerInfos, int maxRateLimitedSources) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }

    /** Saves the routing table at most every {@code contactSaveMillis} (a simulator may save only on close). */
    public DhtConfig withContactSaveMillis(long contactSaveMillis) {
        return new DhtConfig(k, alpha, timeouts, lookupAttempts, queryRatePerSecond, queryBurst, maxItems,
                maxItemsPerSource, maxPeersPerHash, maxInfoHashes, maintenanceMillis, republishMillis, shardHost,
                shardPort, failureGroup, readOnly, maxRttPeers, maxPeerInfos, maxRateLimitedSources,
                contactSaveMillis);
    }
}
