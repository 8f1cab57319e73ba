package io.restfs.node.pubsub;

/**
 * Decides whether a WebSocket client holding an API bearer token may subscribe to a topic
 * ({@code bucket.<name>}). The API's token store implements it; nodes of the cluster are authorised by the
 * cluster key instead and never ask it.
 */
@FunctionalInterface
public interface SubscriberAuthorizer {
    /** True when {@code bearerToken} (never null; maybe empty) grants reading {@code topic}. */
    boolean maySubscribe(String bearerToken, String topic);

    /** Refuses every client: the default until the API's token store is plugged in. */
    static SubscriberAuthorizer refuseAll() {
        return (token, topic) -> false;
    }
}
