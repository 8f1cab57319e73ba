package io.restfs.api;

/** JSON-RPC service {@code cluster}. */
public interface ClusterApi {
    ClusterStatus status();
}
