package io.restfs.dht.lookup;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;

import java.util.List;

/**
 * The outcome of an iterative lookup.
 *
 * @param target         the id looked up
 * @param closest        up to k nodes that answered, closest first, each with its answer (tokens, values)
 * @param hops           rounds of queries the farthest-reached of them took (1 = a node we already knew)
 * @param queriesSent    queries this lookup sent
 * @param responses      answers it received
 * @param softTimeouts   peers that were slow enough to lose their slot
 * @param timeouts       peers that never answered (or answered with an error)
 * @param durationMillis clock time from start to result
 */
public record LookupResult(NodeId target, List<Answered> closest, int hops, int queriesSent, int responses,
                           int softTimeouts, int timeouts, long durationMillis) {
    /** A node that answered, with its answer and the round it was reached in. */
    public record Answered(NodeInfo node, KrpcResponse response, int hop) {
    }

    public List<NodeInfo> nodes() {
        return closest.stream().map(Answered::node).toList();
    }
}
