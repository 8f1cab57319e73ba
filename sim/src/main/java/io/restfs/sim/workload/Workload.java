package io.restfs.sim.workload;

import io.restfs.sim.World;

/**
 * Load a simulation puts on the network. A workload schedules its own events on the world's queue, drives
 * the simulated nodes through their real DHT API, and reports outcomes into the world's metrics; the
 * engine knows nothing about it, so a new workload (e.g. storage placement and repair) plugs in without
 * changing the engine.
 */
public interface Workload {
    /** The option text that recreates this workload. */
    String spec();

    /** Called once, when the measured phase starts; schedules the workload's first events. */
    void start(World world);

    /** A node came online (after the measured phase started). */
    default void onJoin(int slot) {
    }

    /** A node went offline (crash or graceful leave), before its replacement arrives. */
    default void onDeparture(int slot) {
    }

    /** Adds this workload's own figures to the run summary (an object named after the workload). */
    default void summarize(com.fasterxml.jackson.databind.node.ObjectNode out) {
    }
}
