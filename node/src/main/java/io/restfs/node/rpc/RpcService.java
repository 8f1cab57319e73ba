package io.restfs.node.rpc;

import java.util.Objects;

/**
 * One JSON-RPC service: the methods of {@code api}, called on {@code handler}, named {@code name.method} (just
 * {@code method} when the name is empty).
 */
public record RpcService(String name, Class<?> api, Object handler) {
    public RpcService {
        Objects.requireNonNull(name, "name");
        if (!api.isInterface() || !api.isInstance(handler)) {
            throw new IllegalArgumentException("service " + name + ": handler must implement interface " + api);
        }
        if (name.contains(".") || name.startsWith("rpc")) {
            throw new IllegalArgumentException("service name '" + name + "' has a '.' or the reserved rpc prefix");
        }
    }

    public static <T> RpcService of(String name, Class<T> api, T handler) {
        return new RpcService(name, api, handler);
    }
}
