package io.restfs.api;

/** A cluster member as the node serving the call sees it. */
public record Member(String nodeId, String host, String apiUrl, String group, long capacityBytes, long freeBytes,
                     String state, long lastSeenMillis) {
}
