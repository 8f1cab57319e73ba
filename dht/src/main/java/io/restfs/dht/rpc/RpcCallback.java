package io.restfs.dht.rpc;

import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcResponse;

/**
 * The outcome of one call, delivered on the logic thread. Exactly one of response, error or timeout ends a call;
 * a soft timeout may come first (a lookup frees the peer's slot then, and still takes a late answer).
 */
public interface RpcCallback {
    /** For a call whose outcome does not matter to the caller (the engine still counts it). */
    RpcCallback IGNORE = new RpcCallback() {
        @Override
        public void onResponse(KrpcResponse response, long rttMillis) {
        }

        @Override
        public void onError(KrpcError error) {
        }

        @Override
        public void onTimeout() {
        }
    };

    void onResponse(KrpcResponse response, long rttMillis);

    void onError(KrpcError error);

    void onTimeout();

    /** The peer's usual answer time has passed; the call goes on until its hard timeout. */
    default void onSoftTimeout() {
    }
}
