package io.restfs.dht.routing;

import io.restfs.dht.id.NodeId;

import java.net.InetSocketAddress;

/**
 * A snapshot of one routing-table entry.
 *
 * @param lastSeenMillis     last time it sent us anything (query or response), clock millis
 * @param lastResponseMillis last time it answered one of our queries, or {@link #NEVER}
 * @param failures           queries to it that timed out in a row
 */
public record Contact(NodeId id, InetSocketAddress address, Liveness liveness, long lastSeenMillis,
                      long lastResponseMillis, int failures, PeerKind kind) {
    public static final long NEVER = Long.MIN_VALUE;
}
