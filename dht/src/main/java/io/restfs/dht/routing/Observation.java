package io.restfs.dht.routing;

import io.restfs.dht.id.NodeId;

import java.util.Optional;

/** What {@link RoutingTable#observe} did with a node it heard from. */
public sealed interface Observation {
    /** The node is now in its bucket; {@code evicted} is the bad node it replaced, if any. */
    record Added(Optional<NodeId> evicted) implements Observation { }

    /** The node was already known; its times were refreshed. */
    record Refreshed() implements Observation { }

    /**
     * The bucket is full of nodes not known to be bad: the newcomer waits in the replacement cache. When
     * {@code pingCandidate} is present, the caller should ping it (the least recently seen questionable
     * node); if that ping fails, {@link RoutingTable#failed} promotes a replacement.
     */
    record Cached(Optional<Contact> pingCandidate) implements Observation { }

    /** Ignored, e.g. our own id or a known id arriving from another address. */
    record Rejected(String reason) implements Observation { }
}
