package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.lookup.LookupResult;

import java.util.List;

/**
 * The outcome of a BEP 44 put: which nodes stored the item and which refused it (and why).
 *
 * @param target   the key the item is stored under
 * @param storedOn nodes that acknowledged the put
 * @param refusals nodes that answered with a KRPC error (e.g. 301 cas mismatch, 302 seq too low)
 * @param lookup   the get-lookup that found the nodes and their tokens
 */
public record PutResult(NodeId target, List<NodeInfo> storedOn, List<Refusal> refusals, LookupResult lookup) {
    /** A node's refusal: its KRPC error code and message. */
    public record Refusal(NodeInfo node, int code, String message) {
    }

    /** True when at least one node refused with {@code code}. */
    public boolean refusedWith(int code) {
        return refusals.stream().anyMatch(r -> r.code() == code);
    }
}
