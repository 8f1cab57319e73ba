package io.restfs.dht.node;

import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.krpc.RestfsNodeInfo;

/** A restfs peer that may hold data: its DHT contact and its verified, signed restfs_info. */
public record DataHolder(NodeInfo node, RestfsNodeInfo info) {
}
