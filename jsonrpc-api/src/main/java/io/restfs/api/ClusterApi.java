package io.restfs.api;

/** JSON-RPC service {@code cluster}. */
public interface ClusterApi {
    @MethodDoc(summary = "The cluster as the answering node sees it.",
            description = "Members are those the node has learnt of through"
                    + " cluster.members announcements, with their addresses, failure groups and capacity.",
            result = "The node's id, every member it knows, and the cluster's capacity, free bytes and shard"
                    + " count.")
    ClusterStatus status();
}
