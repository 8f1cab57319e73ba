package io.restfs.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.sim.metrics.Metrics;
import java.util.List;

/**
 * What one run produced.
 *
 * @param options    the options it ran with
 * @param metrics    everything measured, per phase and per interval
 * @param summary    the summary written as summary.json (deterministic: no wall-clock figures)
 * @param violations broken invariants, empty when none (capped; the summary holds the full count)
 * @param converged  whether the liveness phase met its bound (see {@link Simulation})
 * @param wallMillis real time the run took, bootstrap included
 * @param eventsRun  events the queue ran
 */
public record SimResult(SimOptions options, Metrics metrics, ObjectNode summary, List<String> violations,
                        boolean converged, long wallMillis, long eventsRun) {
    /** Phase names, as they appear in the summary and the time series. */
    public static final String SAFETY = "safety";
    public static final String SETTLE = "settle";
    public static final String LIVENESS = "liveness";

    public SimResult {
        violations = List.copyOf(violations);
    }

    /** Totals of the measured (safety) phase. */
    public Metrics.Totals safety() {
        return metrics.totals(SAFETY);
    }
}
