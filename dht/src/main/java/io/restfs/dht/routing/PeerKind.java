package io.restfs.dht.routing;

/** What a peer is beyond routing: restfs peers may hold data, other Mainline peers only route. */
public enum PeerKind {
    /** Not yet asked, or the answer is still pending. */
    UNKNOWN,
    /** Answered restfs_info with a valid signature from the key its id derives from. */
    RESTFS,
    /** Answered restfs_info with error 204 (a plain Mainline node): routes, never holds data. */
    ROUTING_ONLY
}
