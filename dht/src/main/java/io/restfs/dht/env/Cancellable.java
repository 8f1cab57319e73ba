package io.restfs.dht.env;

/** A scheduled task that can still be called off; cancelling a task that already ran does nothing. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
