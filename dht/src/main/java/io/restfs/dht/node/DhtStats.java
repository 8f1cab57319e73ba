package io.restfs.dht.node;

import io.restfs.dht.rpc.RpcStats;

/**
 * A snapshot of a node's state and counters.
 *
 * @param routingTableSize  nodes in the routing table
 * @param buckets           buckets in the routing table
 * @param storedItems       BEP 44 items held for others
 * @param publishedItems    items this node republishes
 * @param rateLimited       queries dropped by the per-IP rate limit
 * @param itemsRefused      puts refused (quota, cas, seq, signature, token)
 * @param rpc               RPC counters
 */
public record DhtStats(int routingTableSize, int buckets, int storedItems, int publishedItems, long rateLimited,
                       long itemsRefused, RpcStats rpc) {
}
