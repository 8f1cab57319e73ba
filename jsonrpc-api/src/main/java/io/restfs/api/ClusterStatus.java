package io.restfs.api;

import java.util.List;

/** The cluster as one node sees it: itself, every member it knows, and their totals. */
public record ClusterStatus(String nodeId, List<Member> members, long capacityBytes, long freeBytes, long shardCount) {
    public ClusterStatus {
        members = List.copyOf(members);
    }
}
