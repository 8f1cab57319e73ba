package io.restfs.dht.persist;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.routing.PeerKind;

import java.net.InetSocketAddress;

/** A routing-table member as saved across restarts. */
public record SavedContact(NodeId id, InetSocketAddress address, PeerKind kind) {
}
