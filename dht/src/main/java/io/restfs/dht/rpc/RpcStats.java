package io.restfs.dht.rpc;

import java.util.Map;

/**
 * Counters of one node's RPC traffic since it started.
 *
 * @param queriesSent    queries sent, retries included
 * @param retries        re-sends after a timeout
 * @param responses      responses matched to a pending query
 * @param errors         KRPC errors matched to a pending query
 * @param timeouts       calls that got no answer after all attempts
 * @param queriesIn      well-formed queries received
 * @param malformedIn    datagrams that did not decode
 * @param unmatchedIn    responses and errors with no pending query (late, duplicate or spoofed)
 * @param sentByMethod   queries sent per method name, sorted by name
 */
public record RpcStats(long queriesSent, long retries, long responses, long errors, long timeouts, long queriesIn,
                       long malformedIn, long unmatchedIn, Map<String, Long> sentByMethod) {
}
