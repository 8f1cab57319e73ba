package io.restfs.node.pubsub;

/**
 * Publishes an event on a topic to every subscriber of it (WebSocket clients at /ws). Storage publishes object
 * changes on {@code bucket.<name>}; the event is serialised with Jackson as the frame's {@code data}.
 */
@FunctionalInterface
public interface Publisher {
    void publish(String topic, Object jsonEvent);
}
