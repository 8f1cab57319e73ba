package io.restfs.dht.env;

/** Monotonic time as the DHT logic sees it: production reads the JVM's nano clock, the simulator a virtual one. */
@FunctionalInterface
public interface Clock {
    /** Milliseconds since an arbitrary fixed origin; never goes backwards. */
    long nowMillis();
}
